package fourways.launcher;

import java.io.File;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URISyntaxException;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The Main-Class of every runnable jar of the project: it checks that the Java running it is
 * new enough, then calls the jar's real main; it costs one manifest read at start-up.
 *
 * <p>The trap it avoids: the project's classes are Java 21 class files, and an older {@code java}
 * on the PATH (17 is common) meets the first of them with an {@code UnsupportedClassVersionError}
 * and a stack trace that names class file versions, not Java versions. This class alone is
 * compiled for Java 8, so any Java from 8 on loads it and can say in one line what is wrong.
 *
 * <p>It reads two attributes of its jar's manifest (the parent POM's shade plugin writes them):
 * {@code Start-Class}, the real main class, and {@code Java-Release}, the release it needs.
 */
public final class Launcher {
    /** Rule 20's status for a run that cannot start as asked; the real main never gets it. */
    static final int WRONG_JAVA = 2;
    /** A jar built without its two attributes: a build mistake, not the user's. */
    static final int BROKEN_JAR = 1;

    private Launcher() {}

    public static void main(String[] args) throws Throwable {
        File jar = jar();
        Attributes manifest = manifest(jar);
        String startClass = manifest == null ? null : manifest.getValue("Start-Class");
        String release = manifest == null ? null : manifest.getValue("Java-Release");
        if (startClass == null || release == null) {
            System.err.println(jar.getName() + ": its manifest names no Start-Class or no Java-Release;"
                    + " rebuild it with ./mvnw package");
            System.exit(BROKEN_JAR);
        }
        int running = feature(System.getProperty("java.specification.version"));
        int needed = feature(release);
        if (running < needed) {
            // One line: what is needed, what ran, and where it came from, so that the fix
            // (JAVA_HOME, or the full path to a newer java) is obvious.
            System.err.println(jar.getName() + " needs Java " + needed + " or newer; it was run by Java "
                    + System.getProperty("java.version") + " (" + System.getProperty("java.home")
                    + "). Run it with a newer one: \"$JAVA_HOME/bin/java\" -jar " + jar.getPath() + " ...");
            System.exit(WRONG_JAVA);
        }
        // A MethodHandle rather than Method.invoke: an exception of the real main comes out as
        // itself, not wrapped in an InvocationTargetException, and its stack trace reads as if
        // the JVM had called that main directly.
        MethodHandle main = MethodHandles.publicLookup().findStatic(Class.forName(startClass), "main",
                MethodType.methodType(void.class, String[].class));
        main.invokeExact(args);
    }

    /**
     * The feature release in a {@code java.specification.version}: {@code 1.8} is 8 (the old
     * numbering, up to Java 8), {@code 17} is 17; -1 for anything unreadable, which is then "too old".
     */
    static int feature(String version) {
        if (version == null) return -1;
        String v = version.startsWith("1.") ? version.substring(2) : version;
        int dot = v.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The jar this class was loaded from (with {@code java -jar}, the one that was run). */
    private static File jar() throws URISyntaxException {
        return new File(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Its manifest's main attributes; null when it is no jar or has no manifest. */
    private static Attributes manifest(File jar) {
        if (!jar.isFile()) return null;
        try (JarFile file = new JarFile(jar)) {
            Manifest m = file.getManifest();
            return m == null ? null : m.getMainAttributes();
        } catch (IOException e) {
            return null;
        }
    }
}
