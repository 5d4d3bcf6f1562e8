package fourways.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No line break inside a Chinese sentence: a code host renders a break between two Chinese
 * characters as a space. In the zh-CN Markdown, outside code blocks, a paragraph that holds
 * Chinese is one line, or breaks only after Chinese punctuation (，。；：！？、 and closing
 * brackets and quotes).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChineseLineBreaksTest {
    /** Surefire runs in the module's folder, tutorials/, and says so in {@code basedir}. */
    private static final Path TUTORIALS = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();

    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
    /** A line that starts a block of its own, and so is no continuation of the line before. */
    private static final Pattern BLOCK_START = Pattern.compile("^\\s*(#|[-*+]\\s|\\d+\\.\\s|\\||>|<|---\\s*$)");
    /** A line after which no continuation comes: a heading, a table row, an HTML line. */
    private static final Pattern SINGLE_LINE = Pattern.compile("^\\s*(#|\\||<|---)");
    private static final Pattern HAN = Pattern.compile("\\p{IsHan}");
    private static final String BREAKABLE_AFTER = "，。；：！？、）」』》”’…";

    @Test
    void noChineseSentenceIsBrokenAcrossLines() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path md : Diagrams.markdownFiles(TUTORIALS.resolve("zh-CN"))) {
            problems.addAll(check(TUTORIALS.getParent().relativize(md), Files.readAllLines(md, StandardCharsets.UTF_8)));
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " line break(s) inside a Chinese sentence; join each paragraph into one line,"
                    + " or break only after Chinese punctuation:\n" + String.join("\n", problems));
        }
    }

    /** Every {@code file:line} whose line continues a Chinese sentence broken on the line before. */
    static List<String> check(Path shown, List<String> lines) {
        List<String> problems = new ArrayList<>();
        String fence = null;
        boolean continuable = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (fence != null) {
                String t = line.strip();
                char mark = fence.charAt(0);
                if (!t.isEmpty() && t.chars().allMatch(c -> c == mark) && t.length() >= fence.length()) fence = null;
                continue;
            }
            Matcher f = FENCE.matcher(line);
            if (f.find()) {
                fence = f.group(1);
                continuable = false;
                continue;
            }
            if (line.isBlank()) {
                continuable = false;
                continue;
            }
            if (continuable && !BLOCK_START.matcher(line).find()) {
                String before = lines.get(i - 1).stripTrailing();
                char last = before.charAt(before.length() - 1);
                boolean chinese = HAN.matcher(before).find() || HAN.matcher(line).find();
                if (chinese && BREAKABLE_AFTER.indexOf(last) < 0) {
                    problems.add(shown + ":" + (i + 1) + ": continues a sentence broken after \""
                            + before.substring(Math.max(0, before.length() - 12)) + "\"");
                }
            }
            continuable = !SINGLE_LINE.matcher(line).find();
        }
        return problems;
    }

    // The check, on made-up text.

    @TempDir
    Path dir;

    @Test
    void aBreakBetweenTwoChineseCharactersFails_andOneAfterPunctuationOrInCodeDoesNot() {
        List<String> problems = check(Path.of("x.md"), List.of(
                "# 标题",
                "这是一个被拆开的",
                "句子。",
                "",
                "第一句，",
                "第二句。",
                "- 列表项",
                "- 另一项",
                "```text",
                "代码里",
                "可以换行",
                "```",
                "| 表格 | 行 |",
                "| 另一 | 行 |",
                "English may wrap",
                "as it likes."));
        assertEquals(List.of("x.md:3: continues a sentence broken after \"这是一个被拆开的\""), problems);
    }

    @Test
    void aChineseLineJoinedToEnglishCodeCountsToo() {
        List<String> problems = check(Path.of("x.md"), List.of("调用", "`read()` 的时候"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("x.md:2:"), problems.toString());
    }
}
