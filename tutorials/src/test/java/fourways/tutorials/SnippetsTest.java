package fourways.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every code block of the tutorials is a tagged region of the real source, unchanged; and the
 * check itself catches a block that drifted, a region that is gone, and a java block with no
 * marker (TUTORIALS-CONVENTIONS.md).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SnippetsTest {
    /** Surefire runs in the module's folder, tutorials/, and says so in {@code basedir}. */
    private static final Path TUTORIALS = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    private static final Path ROOT = TUTORIALS.getParent();

    @Test
    void everySnippetOfTheTutorialsMatchesItsSourceRegion() throws IOException {
        List<Snippets.Problem> problems = new Snippets(ROOT, TUTORIALS).check();
        if (!problems.isEmpty()) {
            fail(problems.size() + " snippet problem(s):\n" + problems.stream().map(Object::toString)
                    .collect(Collectors.joining("\n")));
        }
    }

    @Test
    void chaptersOneToEightExistAndUseSnippets() throws IOException {
        for (String chapter : List.of("01-why-four-ways.md", "02-from-begin-end-to-java.md", "03-framing.md",
                "04-blocking-io.md", "05-nio-selector.md", "06-nio2-async.md", "07-virtual-threads.md",
                "08-benchmarks.md")) {
            Path md = TUTORIALS.resolve(chapter);
            assertTrue(Files.isRegularFile(md), "missing chapter " + md);
        }
        long markers = Files.readAllLines(TUTORIALS.resolve("03-framing.md")).stream()
                .filter(l -> l.startsWith("<!-- snippet:")).count();
        assertTrue(markers > 0, "chapter 3 shows no snippet at all: is the checker looking at the right folder?");
    }

    // The checker, on made-up files: each mistake it exists to catch.

    @TempDir
    Path dir;

    private static final String SOURCE = """
            class A {
                // tag::greet[]
                void greet() {
                    // tag::inner[]
                    System.out.println("hi");
                    // end::inner[]
                }
                // end::greet[]
            }
            """;

    private void write(String path, String text) throws IOException {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    private List<Snippets.Problem> check() throws IOException {
        return new Snippets(dir, dir.resolve("tutorials")).check();
    }

    @Test
    void aBlockEqualToItsRegionPasses_withTagLinesOfNestedRegionsLeftOutAndIndentationRemoved() throws IOException {
        write("src/A.java", SOURCE);
        write("tutorials/01-x.md", """
                # One
                <!-- snippet: src/A.java#greet -->
                ```java
                void greet() {
                    System.out.println("hi");
                }
                ```
                <!-- snippet: src/A.java#inner -->
                ```java
                System.out.println("hi");
                ```
                ```sh
                echo "other languages need no marker"
                ```
                """);
        assertEquals(List.of(), check());
    }

    @Test
    void aBlockThatDriftedFromItsSourceFails_namingFileLineAndRegion() throws IOException {
        write("src/A.java", SOURCE.replace("\"hi\"", "\"hello\""));
        write("tutorials/01-x.md", """
                # One

                <!-- snippet: src/A.java#inner -->
                ```java
                System.out.println("hi");
                ```
                """);
        List<Snippets.Problem> problems = check();
        assertEquals(1, problems.size(), problems.toString());
        String message = problems.get(0).toString();
        assertTrue(message.startsWith(Path.of("tutorials", "01-x.md") + ":3: src/A.java#inner: the block differs"), message);
        assertTrue(message.contains("\"hello\""), message);
    }

    @Test
    void aMarkerNamingARegionOrAFileThatNoLongerExistsFails() throws IOException {
        write("src/A.java", SOURCE);
        write("tutorials/sub/02-y.md", """
                <!-- snippet: src/A.java#gone -->
                ```java
                x
                ```
                <!-- snippet: src/B.java#greet -->
                ```java
                x
                ```
                """);
        List<Snippets.Problem> problems = check();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).message().contains("no region 'gone'"), problems.toString());
        assertTrue(problems.get(0).message().contains("greet, inner"), "lists the regions there are: " + problems);
        assertTrue(problems.get(1).message().contains("no such file"), problems.toString());
    }

    @Test
    void aJavaBlockWithoutAMarkerFails_andSoDoesAMarkerWithoutABlock() throws IOException {
        write("tutorials/01-x.md", """
                ```java
                int x;
                ```

                <!-- snippet: src/A.java#greet -->

                ```java
                int y;
                ```
                """);
        List<Snippets.Problem> problems = check();
        assertEquals(3, problems.size(), problems.toString());
        assertEquals(1, problems.get(0).line());
        assertTrue(problems.get(0).message().contains("needs a <!-- snippet"), problems.toString());
        assertTrue(problems.get(1).message().contains("directly followed"), problems.toString());
        assertEquals(7, problems.get(2).line());
    }

    @Test
    void brokenTagsInTheSourceAreReported() throws IOException {
        write("src/A.java", "// tag::a[]\nx\n// tag::a[]\n// end::a[]\n");
        write("src/B.java", "// tag::b[]\nx\n");
        write("tutorials/01-x.md", """
                <!-- snippet: src/A.java#a -->
                ```java
                x
                ```
                <!-- snippet: src/B.java#b -->
                ```java
                x
                ```
                <!-- snippet src/A.java -->
                """);
        List<Snippets.Problem> problems = check();
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).message().contains("tagged twice"), problems.toString());
        assertTrue(problems.get(1).message().contains("never ended"), problems.toString());
        assertTrue(problems.get(2).message().contains("malformed snippet marker"), problems.toString());
    }

    @Test
    void fixRewritesEachMarkedBlockFromItsRegion() throws IOException {
        write("src/A.java", SOURCE);
        write("tutorials/01-x.md", """
                Text.
                <!-- snippet: src/A.java#inner -->
                ```java
                stale
                line
                ```
                ````markdown
                <!-- snippet: src/A.java#greet -->
                ```java
                an example inside another fence is left alone
                ```
                ````
                """);
        assertEquals(1, new Snippets(dir, dir.resolve("tutorials")).fix());
        assertEquals(List.of(), check());
        String fixed = Files.readString(dir.resolve("tutorials/01-x.md"));
        assertTrue(fixed.contains("```java\nSystem.out.println(\"hi\");\n```\n````markdown"), fixed);
        assertTrue(fixed.contains("an example inside another fence is left alone"), fixed);
    }
}
