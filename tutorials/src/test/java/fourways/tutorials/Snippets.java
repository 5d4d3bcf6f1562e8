package fourways.tutorials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The snippet check of the tutorials (TUTORIALS-CONVENTIONS.md): every code block of a chapter
 * is a tagged region of a real source file, and this proves it, or rewrites the blocks from
 * their regions with {@code --fix}. It needs nothing but the JDK, so it also runs on its own:
 *
 * <pre>
 *   java tutorials/src/test/java/fourways/tutorials/Snippets.java         # check
 *   java tutorials/src/test/java/fourways/tutorials/Snippets.java --fix   # rewrite the blocks
 * </pre>
 *
 * <p>In a source file a region is the lines between {@code // tag::NAME[]} and
 * {@code // end::NAME[]} ({@code #} and {@code <!-- -->} comments work too). In Markdown the
 * marker line {@code <!-- snippet: PATH#NAME -->} directly precedes the fenced block, PATH
 * relative to the repository root. The block holds the region's lines without any tag lines,
 * less their common indentation. A {@code java} block without a marker is an error.
 */
public final class Snippets {

    /** One thing wrong, where a reader of the build log can find it. */
    public record Problem(Path file, int line, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    private static final Pattern MARKER =
            Pattern.compile("^\\s*<!--\\s*snippet:\\s*(\\S+?)#([a-z0-9-]+)\\s*-->\\s*$");
    /** Anything that looks like a marker, so a misspelt one is reported rather than ignored. */
    private static final Pattern MARKER_LIKE = Pattern.compile("^\\s*<!--\\s*snippet\\b.*");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})\\s*([^`\\s]*).*$");
    private static final Pattern TAG =
            Pattern.compile("^\\s*(?://|#|<!--)\\s*(tag|end)::([a-z0-9-]+)\\[\\]\\s*(?:-->)?\\s*$");

    private final Path root;
    private final Path tutorials;
    /** Source file (relative to the root) to its regions, or to the problem that spoils them. */
    private final Map<Path, Regions> sources = new HashMap<>();
    /** Blocks that {@link #fix} changed. */
    private int rewritten;

    /**
     * @param root the repository root, which marker paths are relative to
     * @param tutorials the folder whose Markdown files (recursively) are checked
     */
    public Snippets(Path root, Path tutorials) {
        this.root = root.toAbsolutePath().normalize();
        this.tutorials = tutorials.toAbsolutePath().normalize();
    }

    public static void main(String[] args) throws IOException {
        boolean fix = List.of(args).contains("--fix");
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("tutorials"))) root = root.getParent();
        if (root == null) {
            System.err.println("run this from inside the repository: no tutorials/ folder found");
            System.exit(2);
        }
        Snippets snippets = new Snippets(root, root.resolve("tutorials"));
        if (fix) {
            System.out.println(snippets.fix() + " block(s) rewritten");
        }
        List<Problem> problems = snippets.check();
        problems.forEach(System.err::println);
        System.out.println(problems.isEmpty() ? "every snippet matches its source" : problems.size() + " problem(s)");
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    /** Every problem in every Markdown file under the tutorials folder; empty when all is well. */
    public List<Problem> check() throws IOException {
        List<Problem> problems = new ArrayList<>();
        for (Path md : markdownFiles()) {
            problems.addAll(process(md, false));
        }
        return problems;
    }

    /** Rewrites every marked block from its region; returns how many blocks changed. */
    public int fix() throws IOException {
        rewritten = 0;
        for (Path md : markdownFiles()) {
            process(md, true);
        }
        return rewritten;
    }

    private List<Path> markdownFiles() throws IOException {
        try (Stream<Path> files = Files.walk(tutorials)) {
            return files.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !tutorials.relativize(p).startsWith("target"))
                    .sorted()
                    .toList();
        }
    }

    /** Walks one Markdown file: its fences, its markers, and (fixing) its blocks' new contents. */
    private List<Problem> process(Path md, boolean fix) throws IOException {
        List<String> lines = read(md);
        List<String> out = new ArrayList<>(lines.size());
        List<Problem> problems = new ArrayList<>();
        Path shown = root.relativize(md);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher marker = MARKER.matcher(line);
            Matcher fence = FENCE.matcher(line);
            if (marker.matches()) {
                out.add(line);
                if (i + 1 >= lines.size() || !FENCE.matcher(lines.get(i + 1)).matches()) {
                    problems.add(new Problem(shown, i + 1, "a snippet marker must be directly followed by a fenced block"));
                }
                continue;
            }
            if (MARKER_LIKE.matcher(line).matches()) {
                problems.add(new Problem(shown, i + 1,
                        "malformed snippet marker; write <!-- snippet: path/from/repo/root#region-name -->"));
                out.add(line);
                continue;
            }
            if (!fence.matches()) {
                out.add(line);
                continue;
            }
            // A fenced block: find its end (the same character, at least as many).
            String opener = fence.group(1);
            int end = i + 1;
            while (end < lines.size() && !closes(lines.get(end), opener)) end++;
            if (end == lines.size()) {
                problems.add(new Problem(shown, i + 1, "this fenced block is never closed"));
                out.addAll(lines.subList(i, lines.size()));
                break;
            }
            List<String> body = lines.subList(i + 1, end);
            Matcher previous = i > 0 ? MARKER.matcher(lines.get(i - 1)) : null;
            out.add(line);
            if (previous != null && previous.matches()) {
                String where = previous.group(1) + "#" + previous.group(2);
                List<String> region;
                try {
                    region = region(previous.group(1), previous.group(2));
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem(shown, i, where + ": " + e.getMessage()));
                    out.addAll(body);
                    out.add(lines.get(end));
                    i = end;
                    continue;
                }
                if (fix) {
                    if (!region.equals(body)) rewritten++;
                    out.addAll(region);
                } else {
                    String difference = difference(region, body);
                    if (difference != null) {
                        problems.add(new Problem(shown, i, where + ": the block differs from the source region: "
                                + difference + " (java tutorials/src/test/java/fourways/tutorials/Snippets.java --fix"
                                + " rewrites the blocks)"));
                    }
                    out.addAll(body);
                }
            } else {
                if (fence.group(2).equalsIgnoreCase("java")) {
                    problems.add(new Problem(shown, i + 1,
                            "a java block needs a <!-- snippet: path#region --> marker on the line before it"));
                }
                out.addAll(body);
            }
            out.add(lines.get(end));
            i = end;
        }
        if (fix && !out.equals(lines)) {
            Files.write(md, out, StandardCharsets.UTF_8);
        }
        return problems;
    }

    private static boolean closes(String line, String opener) {
        String t = line.strip();
        return t.length() >= opener.length() && t.chars().allMatch(c -> c == opener.charAt(0))
                && line.length() - line.stripLeading().length() <= 3;
    }

    /** Null when equal; otherwise where and how the block and the region first differ. */
    static String difference(List<String> region, List<String> block) {
        int n = Math.min(region.size(), block.size());
        for (int k = 0; k < n; k++) {
            if (!region.get(k).equals(block.get(k))) {
                return "line " + (k + 1) + " of the block is \"" + block.get(k) + "\", the source has \""
                        + region.get(k) + "\"";
            }
        }
        if (region.size() > n) {
            return "the block ends after " + n + " lines; the source goes on with \"" + region.get(n) + "\"";
        }
        if (block.size() > n) {
            return "the block has " + (block.size() - n) + " more line(s) than the source, from \"" + block.get(n) + "\"";
        }
        return null;
    }

    /** The named region's lines as a block shows them. */
    List<String> region(String path, String name) {
        Path file = root.resolve(path).normalize();
        if (!file.startsWith(root)) throw new IllegalArgumentException("the path leaves the repository");
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no such file");
        Regions regions = sources.computeIfAbsent(file, Snippets::parse);
        if (regions.problem() != null) throw new IllegalArgumentException(regions.problem());
        List<String> lines = regions.byName().get(name);
        if (lines == null) {
            throw new IllegalArgumentException("no region '" + name + "' in that file; it has "
                    + (regions.byName().isEmpty() ? "none" : String.join(", ", regions.byName().keySet())));
        }
        return lines;
    }

    private record Regions(Map<String, List<String>> byName, String problem) {}

    /** Every region of one source file, tag lines (of any region) left out, indentation removed. */
    private static Regions parse(Path file) {
        List<String> lines = read(file);
        Map<String, List<String>> open = new LinkedHashMap<>();
        Map<String, List<String>> done = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher tag = TAG.matcher(lines.get(i));
            if (tag.matches()) {
                String name = tag.group(2);
                if (tag.group(1).equals("tag")) {
                    if (done.containsKey(name)) {
                        return new Regions(Map.of(), "line " + (i + 1) + ": region '" + name + "' is tagged twice");
                    }
                    open.put(name, new ArrayList<>());
                    done.put(name, List.of());           // keeps the regions in the order they begin
                } else {
                    List<String> region = open.remove(name);
                    if (region == null) {
                        return new Regions(Map.of(), "line " + (i + 1) + ": end::" + name + "[] without its tag");
                    }
                    done.put(name, dedent(region));
                }
                continue;
            }
            for (List<String> region : open.values()) region.add(lines.get(i));
        }
        if (!open.isEmpty()) {
            return new Regions(Map.of(), "region(s) " + String.join(", ", open.keySet()) + " never ended");
        }
        return new Regions(done, null);
    }

    static List<String> dedent(List<String> lines) {
        int common = Integer.MAX_VALUE;
        for (String l : lines) {
            if (!l.isBlank()) common = Math.min(common, l.length() - l.stripLeading().length());
        }
        List<String> out = new ArrayList<>(lines.size());
        for (String l : lines) out.add(l.isBlank() ? "" : l.substring(common));
        return out;
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
