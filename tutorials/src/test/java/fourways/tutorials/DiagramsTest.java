package fourways.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Mermaid diagram of the tutorials has a header and a structure Mermaid accepts and names
 * only classes and members that exist (see {@link Diagrams} for the convention); and the
 * chapters that promise a picture have it, in both languages.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DiagramsTest {
    /** Surefire runs in the module's folder, tutorials/, and says so in {@code basedir}. */
    private static final Path TUTORIALS = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    private static final Path ROOT = TUTORIALS.getParent();

    @Test
    void everyDiagramOfTheTutorialsIsWellFormed_andNamesOnlyWhatExists() throws IOException {
        List<Diagrams.Problem> problems = new Diagrams(ROOT, TUTORIALS).check();
        if (!problems.isEmpty()) {
            fail(problems.size() + " diagram problem(s):\n"
                    + problems.stream().map(Object::toString).collect(Collectors.joining("\n")));
        }
    }

    @Test
    void theChaptersThatExplainAMechanismShowIt_inBothLanguages() {
        // 1: the five I/O models; 4: the listen queue's SYN retries; 5: the loop, the states, main and sub reactors.
        Map<String, Integer> wanted = Map.of("01-why-four-ways.md", 1, "02-from-begin-end-to-java.md", 1,
                "03-framing.md", 1, "04-blocking-io.md", 1, "05-nio-selector.md", 3, "06-nio2-async.md", 1,
                "07-virtual-threads.md", 1, "10-tls-four-ways.md", 1);
        wanted.forEach((chapter, n) -> {
            for (Path md : List.of(TUTORIALS.resolve(chapter), TUTORIALS.resolve("zh-CN").resolve(chapter))) {
                assertTrue(Diagrams.count(md) >= n, md + " should hold " + n + " mermaid diagram(s)");
            }
        });
    }

    // The checker, on made-up files: each mistake it exists to catch.

    @TempDir
    Path dir;

    private List<Diagrams.Problem> check(String markdown) throws IOException {
        Path src = dir.resolve("mod/src/main/java/x/Widget.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                package x;
                final class Widget {
                    private boolean spinning;
                    void turn(int n) {}
                    private static final class Gear { void mesh() {} }
                }
                """, StandardCharsets.UTF_8);
        Path md = dir.resolve("tutorials/01-x.md");
        Files.createDirectories(md.getParent());
        Files.writeString(md, markdown, StandardCharsets.UTF_8);
        return new Diagrams(dir, dir.resolve("tutorials")).check();
    }

    @Test
    void aDiagramNamingRealClassesAndMembers_ofTheSourcesAndOfTheJdk_passes() throws IOException {
        assertEquals(List.of(), check("""
                ```mermaid
                sequenceDiagram
                    participant A as caller
                    participant W as Widget
                    A->>W: Widget.turn(1) while Widget.spinning, then Gear.mesh()
                    W->>A: Selector.select() returns, LockSupport.park, select(ms) again
                    Note over A,W: BeginReceive and handler.EndReceive(ar) are C#, not checked
                    loop every turn
                        A->>W: turn(#lt;EOF#gt;)
                    end
                ```
                """));
    }

    @Test
    void aMemberOrAClassThatDoesNotExistFails_naming_it() throws IOException {
        List<Diagrams.Problem> problems = check("""
                # x
                ```mermaid
                stateDiagram-v2
                    [*] --> A: Widget.spin
                    A --> B: Sprocket.turn
                    B --> [*]: Selector.selectAll()
                    A --> A: rotate(3)
                ```
                """);
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).toString().startsWith(Path.of("tutorials", "01-x.md") + ":4: Widget.spin: Widget declares no spin"),
                problems.toString());
        assertTrue(problems.get(1).message().contains("no class Sprocket"), problems.toString());
        assertTrue(problems.get(2).message().contains("java.nio.channels.Selector has no member selectAll"), problems.toString());
        assertTrue(problems.get(3).message().startsWith("rotate(): no method"), problems.toString());
    }

    @Test
    void aBadHeader_anUnclosedBlock_anUndeclaredParticipant_andASemicolonFail() throws IOException {
        List<Diagrams.Problem> problems = check("""
                ```mermaid
                graph of things
                ```
                ```mermaid
                sequenceDiagram
                    participant A
                    A->>B: hello
                    A->>A: one; two
                    loop for ever
                ```
                ```mermaid
                flowchart TD
                    X[Widget.turn(1)] --> Y["Widget.turn(2)"]
                ```
                """);
        assertEquals(5, problems.size(), problems.toString());
        assertTrue(problems.get(0).message().startsWith("a mermaid block starts with"), problems.toString());
        assertTrue(problems.get(1).message().contains("undeclared participant 'B'"), problems.toString());
        assertTrue(problems.get(2).message().contains("';' ends a Mermaid statement"), problems.toString());
        assertTrue(problems.get(3).message().startsWith("never closed: [loop]"), problems.toString());
        assertTrue(problems.get(4).message().contains("quote it"), problems.toString());
    }
}
