package fourways.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository is: the folder with PROTOCOL.md, from the working directory upwards. */
final class Root {
    private Root() {}

    /** The system property {@code fourways.root} wins; else the nearest folder with PROTOCOL.md. */
    static Path find() {
        String given = System.getProperty("fourways.root");
        if (given != null) return Path.of(given).toAbsolutePath();
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("PROTOCOL.md"))) return p;
        }
        return here;
    }
}
