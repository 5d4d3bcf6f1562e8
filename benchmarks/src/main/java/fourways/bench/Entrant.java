package fourways.bench;

/**
 * A server in the side-by-side run: one of the {@link Contender}s this project builds, the same
 * over TLS ({@link TlsContender}), one of them with JVM flags of its own ({@link Variant}), or an
 * {@link OutsideServer} the user brings with {@code ./run --server}.
 */
public sealed interface Entrant permits Contender, TlsContender, Variant, OutsideServer {

    /** Its name in the table, the charts and results.json. */
    String label();
}
