package fourways.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher in a jar laid out as the shade plugin lays out every module's: run by an older
 * Java it says so in one line and exits 2; run by this one it is not there at all. The real main
 * here is {@link Greeter}, a Java 21 class file like every real main of the project.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LauncherTest {
    private static final Path JVMS = Path.of("/usr/lib/jvm");

    @TempDir
    Path dir;

    /** A child's exit status and its two streams, as text. */
    record Run(int status, String out, String err) {}

    @Test
    void anOlderJavaGetsOneLineNamingBothVersionsAndStatusTwo() throws Exception {
        Optional<Path> old = olderJava();
        Assumptions.assumeTrue(old.isPresent(), "no JDK older than 21 under " + JVMS + " to run the jar with");
        Path jar = jar("greeter.jar", Greeter.class.getName(), "21");
        Run run = run(old.get().toString(), jar, "server", "--port", "12000");
        assertEquals(Launcher.WRONG_JAVA, run.status(), run.toString());
        assertEquals("", run.out(), "nothing on standard output");
        List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), "one line, no stack trace: " + run.err());
        assertTrue(lines.get(0).startsWith("greeter.jar needs Java 21 or newer; it was run by Java "), lines.get(0));
        assertTrue(lines.get(0).contains("(" + old.get().toRealPath().getParent().getParent() + ")"), "and names its home: " + lines.get(0));
        assertTrue(lines.get(0).contains("$JAVA_HOME/bin/java"), lines.get(0));
        assertFalse(run.err().contains("UnsupportedClassVersionError"), run.err());
    }

    @Test
    void thisJavaPassesStraightThroughToTheRealMainWithEveryArgument() throws Exception {
        Path jar = jar("greeter.jar", Greeter.class.getName(), "21");
        Run run = run(thisJava(), jar, "server", "--help", "你好");
        assertEquals(new Run(0, "greeter: [server, --help, 你好]\n", ""), run);
    }

    @Test
    void theRealMainsOwnExitStatusAndExceptionComeOutUnwrapped() throws Exception {
        Path jar = jar("greeter.jar", Greeter.class.getName(), "21");
        assertEquals(7, run(thisJava(), jar, "exit", "7").status());
        Run thrown = run(thisJava(), jar, "throw");
        assertEquals(1, thrown.status());
        assertTrue(thrown.err().startsWith("Exception in thread \"main\" java.lang.IllegalStateException: the real main"),
                thrown.err());
        assertFalse(thrown.err().contains("InvocationTargetException"), thrown.err());
    }

    @Test
    void aJarThatNeedsANewerJavaThanThisOneIsRefusedToo() throws Exception {
        Path jar = jar("future.jar", Greeter.class.getName(), "99");
        Run run = run(thisJava(), jar);
        assertEquals(Launcher.WRONG_JAVA, run.status());
        assertTrue(run.err().startsWith("future.jar needs Java 99 or newer; it was run by Java "
                + System.getProperty("java.version")), run.err());
    }

    @Test
    void aJarBuiltWithoutStartClassSaysSoInOneLine() throws Exception {
        Path jar = jar("broken.jar", null, "21");
        Run run = run(thisJava(), jar);
        assertEquals(new Run(Launcher.BROKEN_JAR, "",
                "broken.jar: its manifest names no Start-Class or no Java-Release; rebuild it with ./mvnw package\n"), run);
    }

    @Test
    void featureReleaseReadsBothNumberings() {
        assertEquals(8, Launcher.feature("1.8"));
        assertEquals(17, Launcher.feature("17"));
        assertEquals(21, Launcher.feature("21.0.2"));
        assertEquals(-1, Launcher.feature("banana"));
        assertEquals(-1, Launcher.feature(null));
    }

    /** A jar holding the launcher and Greeter, its manifest as the parent POM writes it. */
    private Path jar(String name, String startClass, String release) throws IOException {
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(Attributes.Name.MAIN_CLASS, Launcher.class.getName());
        if (startClass != null) a.putValue("Start-Class", startClass);
        a.putValue("Java-Release", release);
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (Class<?> c : List.of(Launcher.class, Greeter.class)) {
                String entry = c.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(entry));
                try (var in = c.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    private Run run(String java, Path jar, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java, "-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8",
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launched jar did not end within 30 s");
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    private static String thisJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A JDK older than 21 under /usr/lib/jvm, by the JAVA_VERSION of its {@code release} file. */
    private static Optional<Path> olderJava() throws IOException {
        if (!Files.isDirectory(JVMS)) return Optional.empty();
        try (Stream<Path> homes = Files.list(JVMS)) {
            return homes.sorted().filter(h -> Files.isExecutable(h.resolve("bin/java"))).filter(h -> {
                try {
                    return Files.readAllLines(h.resolve("release")).stream()
                            .filter(l -> l.startsWith("JAVA_VERSION="))
                            .map(l -> Launcher.feature(l.substring("JAVA_VERSION=".length()).replace("\"", "")))
                            .anyMatch(v -> v > 0 && v < 21);
                } catch (IOException noReleaseFile) {
                    return false;
                }
            }).map(h -> h.resolve("bin/java")).findFirst();
        }
    }
}
