package fourways.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every English chapter {@code tutorials/NN-slug.md} has its Simplified Chinese twin
 * {@code tutorials/zh-CN/NN-slug.md} and the other way round; the two link to each other on
 * their first line and quote the same set of source regions, so that neither can drift from the
 * other silently. (Whether each quoted block equals its region is SnippetsTest's job; it covers
 * zh-CN/ too.)
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TwinsTest {
    /** Surefire runs in the module's folder, tutorials/, and says so in {@code basedir}. */
    private static final Path TUTORIALS = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();

    private static final Pattern CHAPTER = Pattern.compile("\\d\\d-[a-z0-9-]+\\.md");
    /** The same marker as Snippets', loosely: a malformed one is Snippets' to report. */
    private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*snippet:\\s*(\\S+?#[a-z0-9-]+)\\s*-->\\s*$");
    /** An inline Markdown link or image, its target without a title or an #anchor. */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s#]*)[^)]*\\)");

    @Test
    void everyChapterHasItsChineseTwin_andTheTwinsQuoteTheSameRegions_andLinkToEachOther() throws IOException {
        List<String> problems = check(TUTORIALS);
        if (!problems.isEmpty()) fail(problems.size() + " problem(s) with the twins:\n" + String.join("\n", problems));
    }

    @Test
    void thereAreChaptersToCompare() throws IOException {
        assertTrue(chapters(TUTORIALS).contains("01-why-four-ways.md"), "is the check looking at the right folder?");
    }

    /** Every problem found; empty when English and Chinese chapters pair up exactly. */
    static List<String> check(Path tutorials) throws IOException {
        Path chinese = tutorials.resolve("zh-CN");
        Set<String> english = chapters(tutorials);
        Set<String> twins = chapters(chinese);
        List<String> problems = new ArrayList<>();
        for (String name : english) {
            if (!twins.contains(name)) problems.add("tutorials/" + name + " has no Chinese twin tutorials/zh-CN/" + name);
        }
        for (String name : twins) {
            if (!english.contains(name)) problems.add("tutorials/zh-CN/" + name + " has no English original tutorials/" + name);
        }
        for (String name : english) {
            if (!twins.contains(name)) continue;
            Path en = tutorials.resolve(name);
            Path zh = chinese.resolve(name);
            List<String> enLines = Files.readAllLines(en, StandardCharsets.UTF_8);
            List<String> zhLines = Files.readAllLines(zh, StandardCharsets.UTF_8);
            Set<String> enRegions = regions(enLines);
            Set<String> zhRegions = regions(zhLines);
            if (!enRegions.equals(zhRegions)) {
                Set<String> onlyEn = new TreeSet<>(enRegions);
                onlyEn.removeAll(zhRegions);
                Set<String> onlyZh = new TreeSet<>(zhRegions);
                onlyZh.removeAll(enRegions);
                problems.add("tutorials/" + name + " and tutorials/zh-CN/" + name + " quote different regions: only in English "
                        + onlyEn + ", only in Chinese " + onlyZh);
            }
            if (!firstLineLinks(enLines, "zh-CN/" + name)) {
                problems.add("tutorials/" + name + ":1: the first line must link to its twin: [中文](zh-CN/" + name + ")");
            }
            if (!firstLineLinks(zhLines, "../" + name)) {
                problems.add("tutorials/zh-CN/" + name + ":1: the first line must link to its twin: [English](../" + name + ")");
            }
            problems.addAll(brokenLinks(tutorials, zh, zhLines, en, enLines));
        }
        return problems;
    }

    /** The {@code NN-slug.md} file names directly in a folder; none when it does not exist. */
    static Set<String> chapters(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return new TreeSet<>();
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> CHAPTER.matcher(n).matches())
                    .collect(TreeSet::new, Set::add, Set::addAll);
        }
    }

    /** The set of {@code path#region} a chapter quotes; a region quoted twice counts once. */
    static Set<String> regions(List<String> lines) {
        Set<String> regions = new LinkedHashSet<>();
        for (String line : lines) {
            Matcher m = MARKER.matcher(line);
            if (m.matches()) regions.add(m.group(1));
        }
        return regions;
    }

    private static boolean firstLineLinks(List<String> lines, String target) {
        if (lines.isEmpty()) return false;
        Matcher m = LINK.matcher(lines.get(0));
        while (m.find()) {
            if (m.group(1).equals(target)) return true;
        }
        return false;
    }

    /**
     * The Chinese chapter sits one folder deeper, so a link copied from the English one without
     * its extra {@code ../} points nowhere. A relative link of the twin must name a file that
     * exists, or the same file the English chapter links to (a chapter or figure still to come);
     * a link to another Chinese chapter counts as a link to its English original.
     */
    private static List<String> brokenLinks(Path tutorials, Path zh, List<String> zhLines, Path en, List<String> enLines) {
        Set<Path> enTargets = new LinkedHashSet<>();
        for (String line : enLines) enTargets.addAll(targets(en.getParent(), line));
        Path chinese = zh.getParent();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < zhLines.size(); i++) {
            for (Path target : targets(chinese, zhLines.get(i))) {
                if (Files.exists(target) || enTargets.contains(target)) continue;
                Path original = target.startsWith(chinese) ? tutorials.resolve(chinese.relativize(target)) : null;
                if (original != null && (Files.exists(original) || enTargets.contains(original))) continue;
                problems.add("tutorials/zh-CN/" + zh.getFileName() + ":" + (i + 1) + ": the link to " + target
                        + " names no file, and the English chapter has no such link");
            }
        }
        return problems;
    }

    private static List<Path> targets(Path folder, String line) {
        List<Path> targets = new ArrayList<>();
        Matcher m = LINK.matcher(line);
        while (m.find()) {
            String t = m.group(1);
            if (t.isEmpty() || t.contains(":")) continue;          // an anchor in the page, or http:, mailto:
            targets.add(folder.resolve(t).normalize());
        }
        return targets;
    }

    // The check, on made-up folders: each drift it exists to catch.

    @TempDir
    Path dir;

    private void write(String path, String text) throws IOException {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    private static final String EN = """
            [中文](zh-CN/01-a.md)
            # One
            See [the rules](../PROTOCOL.md) and [the next](02-b.md).
            <!-- snippet: src/A.java#greet -->
            """;
    private static final String ZH = """
            [English](../01-a.md)
            # 一
            见[协议](../../PROTOCOL.md)和[下一章](02-b.md)。
            <!-- snippet: src/A.java#greet -->
            """;

    @Test
    void twinsThatPairUpPass() throws IOException {
        write("tutorials/01-a.md", EN);
        write("tutorials/zh-CN/01-a.md", ZH);
        write("tutorials/README.md", "not a chapter, no twin needed");
        assertEquals(List.of(), check(dir.resolve("tutorials")));
    }

    @Test
    void aChapterWithoutItsTwinFails_eitherWay() throws IOException {
        write("tutorials/01-a.md", EN);
        write("tutorials/zh-CN/02-b.md", "[English](../02-b.md)\n");
        List<String> problems = check(dir.resolve("tutorials"));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("01-a.md has no Chinese twin"), problems.toString());
        assertTrue(problems.get(1).contains("02-b.md has no English original"), problems.toString());
    }

    @Test
    void twinsQuotingDifferentRegionsFail_namingTheDifference() throws IOException {
        write("tutorials/01-a.md", EN + "<!-- snippet: src/A.java#inner -->\n");
        write("tutorials/zh-CN/01-a.md", ZH.replace("#greet", "#other"));
        List<String> problems = check(dir.resolve("tutorials"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("only in English [src/A.java#greet, src/A.java#inner]"), problems.toString());
        assertTrue(problems.get(0).contains("only in Chinese [src/A.java#other]"), problems.toString());
    }

    @Test
    void twinsThatDoNotLinkToEachOtherOnTheirFirstLineFail() throws IOException {
        write("tutorials/01-a.md", EN.replace("[中文](zh-CN/01-a.md)\n", ""));
        write("tutorials/zh-CN/01-a.md", ZH.replace("../01-a.md", "01-a.md"));
        List<String> problems = check(dir.resolve("tutorials"));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("tutorials/01-a.md:1:"), problems.toString());
        assertTrue(problems.get(1).startsWith("tutorials/zh-CN/01-a.md:1:"), problems.toString());
    }

    @Test
    void aLinkCopiedWithoutItsExtraDotDotFails() throws IOException {
        write("tutorials/01-a.md", EN);
        write("tutorials/zh-CN/01-a.md", ZH.replace("../../PROTOCOL.md", "../PROTOCOL.md"));
        List<String> problems = check(dir.resolve("tutorials"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("tutorials/zh-CN/01-a.md:3: the link to "), problems.toString());
    }
}
