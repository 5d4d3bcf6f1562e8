package fourways.tutorials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The diagram check of the tutorials: every {@code mermaid} block has a header Mermaid knows,
 * the structure its kind needs, and names only Java classes and members that exist, so that a
 * picture cannot drift from the code any more than a snippet can.
 *
 * <p>Mermaid's own parser is JavaScript that wants a DOM (Maven Central carries it only as
 * WebJars, to be run in a browser), so the build checks what it can without one:
 *
 * <ul>
 *   <li>The first line is {@code sequenceDiagram}, {@code stateDiagram-v2} or
 *       {@code flowchart TD|LR|TB|BT|RL}.
 *   <li>Blocks balance: {@code loop/alt/opt/par/critical/break/rect/box ... end} in a sequence
 *       diagram, {@code subgraph ... end} in a flowchart, {@code state X {...}} and
 *       {@code note ... end note} in a state diagram.
 *   <li>A sequence diagram's every line is a participant, a message between declared
 *       participants, a note over them, or a block keyword.
 *   <li>No {@code ;} outside an entity code such as {@code #lt;}: Mermaid reads it as the end
 *       of a statement. A flowchart label with brackets or parentheses is quoted.
 * </ul>
 *
 * <p>The naming convention, which the check enforces: a Java name is written
 * {@code Type.member} ({@code AsyncWriter.flush}, {@code Selector.select}), where Type is a
 * class of this repository's sources or of the JDK's {@code java.*}, {@code javax.net.ssl} and
 * {@code sun.nio.ch} packages we use, and member one of its methods, fields or nested types; a bare call
 * {@code name(...)} names a method declared in this repository or in a JDK class the same
 * diagram names. C#'s names are PascalCase with no type before them, or a lower-case receiver
 * ({@code BeginReceive}, {@code handler.EndReceive(ar)}), and are not checked.
 */
final class Diagrams {

    /** One thing wrong, where a reader of the build log can find it. */
    record Problem(Path file, int line, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})\\s*([^`\\s]*).*$");
    private static final Pattern HEADER =
            Pattern.compile("^(sequenceDiagram|stateDiagram-v2|flowchart (TD|LR|TB|BT|RL))$");
    private static final Pattern TYPE_MEMBER = Pattern.compile("\\b([A-Z][A-Za-z0-9]*)\\.([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern BARE_CALL = Pattern.compile("(?<![\\w$])([a-z][A-Za-z0-9]*)\\(");
    private static final Pattern TYPE_BEFORE = Pattern.compile("\\b[A-Z][A-Za-z0-9]*\\.$");
    private static final Pattern ENTITY = Pattern.compile("#\\w+;");
    private static final Pattern TYPE_DECLARATION =
            Pattern.compile("\\b(?:class|interface|record|enum)\\s+([A-Z][A-Za-z0-9]*)");
    private static final List<String> JDK_PACKAGES = List.of("java.lang", "java.net", "java.nio", "java.nio.channels",
            "java.util", "java.util.concurrent", "java.util.concurrent.locks", "java.io", "sun.nio.ch", "javax.net.ssl");

    // Sequence diagrams.
    private static final Pattern PARTICIPANT = Pattern.compile("^(participant|actor)\\s+(\\S+)(\\s+as\\s+.+)?$");
    private static final Pattern MESSAGE =
            Pattern.compile("^([^-+:\\s][^:]*?)\\s*(-->>|->>|-->|->|--x|-x|--\\)|-\\))\\s*[+-]?\\s*([^:]+?)\\s*:.*$");
    private static final Pattern NOTE = Pattern.compile("^[Nn]ote\\s+(left of|right of|over)\\s+([^:]+):.+$");
    private static final Pattern SEQUENCE_BLOCK = Pattern.compile("^(loop|alt|opt|par|critical|break|rect|box)\\b.*");

    private final Path root;
    private final Path tutorials;
    /** Type name to the source files that declare it; built on first use. */
    private Map<String, List<Path>> types;
    private final Map<Path, String> texts = new HashMap<>();
    private Set<String> declaredMethods;

    /**
     * @param root the repository root, whose {@code *}/src trees hold the classes diagrams may name
     * @param tutorials the folder whose Markdown files (recursively) are checked
     */
    Diagrams(Path root, Path tutorials) {
        this.root = root.toAbsolutePath().normalize();
        this.tutorials = tutorials.toAbsolutePath().normalize();
    }

    /** Every problem with every diagram under the tutorials folder; empty when all is well. */
    List<Problem> check() throws IOException {
        List<Problem> problems = new ArrayList<>();
        for (Path md : markdownFiles(tutorials)) {
            List<String> lines = read(md);
            Path shown = root.relativize(md);
            for (int i = 0; i < lines.size(); i++) {
                Matcher fence = FENCE.matcher(lines.get(i));
                if (!fence.matches()) continue;
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).strip().equals(fence.group(1))) end++;
                if (fence.group(2).equals("mermaid")) {
                    for (var p : checkDiagram(lines.subList(i + 1, Math.min(end, lines.size())))) {
                        problems.add(new Problem(shown, i + 2 + p.offset(), p.message()));
                    }
                }
                i = end;
            }
        }
        return problems;
    }

    /** How many mermaid blocks a Markdown file holds. */
    static int count(Path md) {
        return (int) read(md).stream().filter(l -> l.strip().equals("```mermaid")).count();
    }

    record Finding(int offset, String message) {}

    /** The problems of one diagram, each at its line's offset in the block. */
    List<Finding> checkDiagram(List<String> body) {
        List<Finding> found = new ArrayList<>();
        if (body.isEmpty() || !HEADER.matcher(body.get(0).strip()).matches()) {
            found.add(new Finding(0, "a mermaid block starts with sequenceDiagram, stateDiagram-v2 or flowchart TD/LR, not \""
                    + (body.isEmpty() ? "" : body.get(0).strip()) + "\""));
            return found;
        }
        String kind = body.get(0).strip().split(" ")[0];
        Set<String> participants = new LinkedHashSet<>();
        Deque<String> open = new ArrayDeque<>();
        Set<Class<?>> jdkClasses = new LinkedHashSet<>();
        for (int k = 1; k < body.size(); k++) {
            String line = body.get(k).strip();
            if (line.isEmpty() || line.startsWith("%%")) continue;
            if (ENTITY.matcher(line).replaceAll("").contains(";")) {
                found.add(new Finding(k, "a ';' ends a Mermaid statement: write it as #59; or reword"));
            }
            String structure = switch (kind) {
                case "sequenceDiagram" -> sequenceLine(line, participants, open);
                case "stateDiagram-v2" -> stateLine(line, open);
                default -> flowchartLine(line, open);
            };
            if (structure != null) found.add(new Finding(k, structure));
            String names = names(line, jdkClasses);
            if (names != null) found.add(new Finding(k, names));
        }
        if (!open.isEmpty()) found.add(new Finding(body.size() - 1, "never closed: " + open));
        // Bare calls may name a method of any JDK class the diagram names, wherever it named it.
        for (int k = 1; k < body.size(); k++) {
            if (body.get(k).strip().matches("^(rect|box|style|classDef|linkStyle)\\b.*")) continue;   // Mermaid's own syntax
            String calls = bareCalls(body.get(k), jdkClasses);
            if (calls != null) found.add(new Finding(k, calls));
        }
        return found;
    }

    private static String sequenceLine(String line, Set<String> participants, Deque<String> open) {
        Matcher m;
        if ((m = PARTICIPANT.matcher(line)).matches()) {
            participants.add(m.group(2));
            return null;
        }
        if (SEQUENCE_BLOCK.matcher(line).matches()) {
            open.push(line.split("\\s+")[0]);
            return null;
        }
        if (line.equals("end")) {
            return open.poll() == null ? "'end' without a block to end" : null;
        }
        if (line.startsWith("else") || line.equals("and") || line.startsWith("and ")) {
            return open.isEmpty() ? "'" + line.split("\\s+")[0] + "' outside alt or par" : null;
        }
        if (line.equals("autonumber") || line.startsWith("activate ") || line.startsWith("deactivate ")) return null;
        if ((m = NOTE.matcher(line)).matches()) {
            for (String p : m.group(2).split(",")) {
                if (!participants.contains(p.strip())) return "a note over undeclared participant '" + p.strip() + "'";
            }
            return null;
        }
        if ((m = MESSAGE.matcher(line)).matches()) {
            for (String p : List.of(m.group(1).strip(), m.group(3).strip())) {
                if (!participants.contains(p)) return "a message from or to undeclared participant '" + p + "'";
            }
            return null;
        }
        return "not a participant, message, note or block of a sequence diagram";
    }

    private static String stateLine(String line, Deque<String> open) {
        if (line.startsWith("note ") && !line.contains(":")) {
            open.push("note");
            return null;
        }
        if (line.equals("end note")) {
            return "note".equals(open.poll()) ? null : "'end note' without its note";
        }
        if ("note".equals(open.peek())) return null;        // a note's text
        if (line.endsWith("{")) {
            open.push("state");
            return null;
        }
        if (line.equals("}")) {
            return "state".equals(open.poll()) ? null : "'}' without its 'state ... {'";
        }
        if (line.matches("^(\\[\\*]|\\w+)\\s*-->\\s*(\\[\\*]|\\w+)(\\s*:.*)?$")
                || line.matches("^state\\s+\"[^\"]+\"\\s+as\\s+\\w+$")
                || line.matches("^state\\s+\\w+(\\s+<<(choice|fork|join)>>)?$")
                || line.matches("^\\w+\\s*:.+$")
                || line.matches("^note (left|right) of \\w+\\s*:.+$")
                || line.matches("^direction (LR|TB|RL|BT)$")) {
            return null;
        }
        return "not a transition, state, note or description of a state diagram";
    }

    private static String flowchartLine(String line, Deque<String> open) {
        if (line.startsWith("subgraph ")) {
            open.push("subgraph");
            return null;
        }
        if (line.equals("end")) return open.poll() == null ? "'end' without its subgraph" : null;
        // A label in [...], (...) or {...} with a bracket or parenthesis inside must be "quoted".
        Matcher label = Pattern.compile("\\w+(\\[|\\(|\\{)([^\"\\]\\)}][^\\]\\)}]*)(\\]|\\)|})").matcher(line);
        while (label.find()) {
            if (label.group(2).matches(".*[()\\[\\]{}].*")) {
                return "the label \"" + label.group(2) + "\" holds brackets: quote it, [\"...\"]";
            }
        }
        return null;
    }

    /** Null when every Type.member of the line exists; otherwise the first that does not. */
    private String names(String line, Set<Class<?>> jdkClasses) {
        Matcher m = TYPE_MEMBER.matcher(ENTITY.matcher(line).replaceAll(" "));
        while (m.find()) {
            String type = m.group(1);
            String member = m.group(2);
            List<Path> files = types().get(type);
            if (files != null) {
                boolean declared = files.stream().anyMatch(f -> declares(text(f), member));
                if (!declared) return type + "." + member + ": " + type + " declares no " + member;
                continue;
            }
            Class<?> jdk = jdkClass(type);
            if (jdk == null) {
                return type + "." + member + ": no class " + type + " in the sources or in the JDK packages " + JDK_PACKAGES;
            }
            jdkClasses.add(jdk);
            if (!jdkHas(jdk, member) && !internalsOfALaterJdk(jdk)) {
                return type + "." + member + ": " + jdk.getName() + " has no member " + member;
            }
        }
        return null;
    }

    private String bareCalls(String line, Set<Class<?>> jdkClasses) {
        String text = ENTITY.matcher(line).replaceAll(" ");
        Matcher m = BARE_CALL.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            if (TYPE_BEFORE.matcher(text.substring(0, m.start())).find()) continue;   // Type.name(: checked as such
            if (declaredMethods().contains(name)) continue;
            if (jdkClasses.stream().anyMatch(c -> jdkHas(c, name))) continue;
            return name + "(): no method of that name is declared in the sources or in a JDK class this diagram names";
        }
        return null;
    }

    private static boolean declares(String source, String member) {
        return Pattern.compile("\\b" + Pattern.quote(member) + "\\b\\s*[(=;,}]").matcher(source).find()
                || Pattern.compile("\\b(?:class|interface|record|enum)\\s+" + Pattern.quote(member) + "\\b").matcher(source).find();
    }

    private static Class<?> jdkClass(String simpleName) {
        for (String pkg : JDK_PACKAGES) {
            try {
                return Class.forName(pkg + "." + simpleName, false, ClassLoader.getPlatformClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // not in this package: try the next one
            }
        }
        return null;
    }

    /**
     * sun.nio.ch is the JDK's own and changes between releases: the chapters name JDK 22's and
     * later's (chapter 7's SubPoller and its loops), which a JDK 21 build cannot find; there a
     * member missing from it is not held against the chapter, and the rest is still checked.
     */
    private static boolean internalsOfALaterJdk(Class<?> c) {
        return c.getPackageName().equals("sun.nio.ch") && Runtime.version().feature() < 22;
    }

    private static boolean jdkHas(Class<?> c, String member) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Method method : k.getDeclaredMethods()) if (method.getName().equals(member)) return true;
            for (Field field : k.getDeclaredFields()) if (field.getName().equals(member)) return true;
            for (Class<?> nested : k.getDeclaredClasses()) if (nested.getSimpleName().equals(member)) return true;
            for (Class<?> i : k.getInterfaces()) if (jdkHas(i, member)) return true;
        }
        return false;
    }

    private Map<String, List<Path>> types() {
        if (types == null) {
            types = new HashMap<>();
            for (Path f : javaSources()) {
                Matcher m = TYPE_DECLARATION.matcher(text(f));
                while (m.find()) types.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(f);
            }
        }
        return types;
    }

    private Set<String> declaredMethods() {
        if (declaredMethods == null) {
            declaredMethods = new LinkedHashSet<>();
            Pattern declaration = Pattern.compile(
                    "\\b(?:void|boolean|int|long|byte|char|short|float|double|[A-Z][\\w.]*(?:<[^()]*?>)?(?:\\[])*)\\s+([a-z]\\w*)\\s*\\(");
            for (Path f : javaSources()) {
                Matcher m = declaration.matcher(text(f));
                while (m.find()) declaredMethods.add(m.group(1));
            }
        }
        return declaredMethods;
    }

    private List<Path> javaSources() {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> root.relativize(p).toString().replace('\\', '/').matches("[^/]+/src/.*"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String text(Path f) {
        return texts.computeIfAbsent(f, p -> String.join("\n", read(p)));
    }

    static List<Path> markdownFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !folder.relativize(p).startsWith("target"))
                    .sorted()
                    .toList();
        }
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
