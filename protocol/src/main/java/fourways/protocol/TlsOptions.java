package fourways.protocol;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The TLS options of rules 21 to 23, as two picocli mixins: the server's and the client's. Each
 * turns its options into a {@link TlsServer} or {@link TlsClient}, or null for plain TCP; every
 * combination that cannot work, and every file that cannot be used, is a bad option (rule 20),
 * refused before the server listens or the client connects.
 */
final class TlsOptions {
    private TlsOptions() {}

    static final class ForServer {
        @Spec(Spec.Target.MIXEE) CommandSpec spec;

        @Option(names = "--tls", description = "Speak TLS 1.3 or 1.2; needs --keystore or --cert and --key.")
        boolean tls;

        @Option(names = "--keystore", paramLabel = "FILE", description = "TLS: the certificate and key, a PKCS#12 keystore.")
        Path keystore;

        @Option(names = "--keystore-password-file", paramLabel = "FILE", description = "TLS: the keystore's password, its first line.")
        Path passwordFile;

        @Mixin Pem pem = new Pem();

        @Option(names = "--client-auth", description = "TLS: only clients whose certificate chains to --trust get in.")
        boolean clientAuth;

        @Option(names = "--trust", paramLabel = "FILE", description = "TLS: with --client-auth, the CA certificate(s), PEM, or a truststore.")
        Path trust;

        @Option(names = "--handshake-timeout", paramLabel = "SECONDS",
                description = "TLS: close a connection whose handshake is not done this long after accept (default: 10).")
        Long handshakeTimeout;

        /** The server's TLS, or null for plain TCP; warns on {@code err} of a certificate out of date. */
        TlsServer build(String model, PrintStream err) {
            if (!tls) {
                needsTls(spec, Map.of("--keystore", keystore != null, "--keystore-password-file", passwordFile != null,
                        "--cert", pem.cert != null, "--key", pem.key != null, "--client-auth", clientAuth, "--trust", trust != null,
                        "--handshake-timeout", handshakeTimeout != null));
                return null;
            }
            if (handshakeTimeout != null) {
                Cli.Options.within(spec, "--handshake-timeout", handshakeTimeout, 1, TlsServer.MAX_HANDSHAKE_TIMEOUT.toSeconds());
            }
            if (keystore != null && pem.cert != null) {
                throw bad(spec, "Options '--keystore' and '--cert' do not go together: one certificate, from a keystore or from PEM files");
            }
            pair(spec, "--keystore", keystore, "--keystore-password-file", passwordFile);
            pair(spec, "--cert", pem.cert, "--key", pem.key);
            if (keystore == null && pem.cert == null) {
                throw bad(spec, "Option '--tls' needs a certificate: --keystore FILE --keystore-password-file FILE, or --cert FILE --key FILE");
            }
            if (clientAuth && trust == null) throw bad(spec, "Option '--client-auth' needs '--trust FILE', the CA its clients' certificates chain to");
            if (!clientAuth && trust != null) throw bad(spec, "Option '--trust' needs '--client-auth' on a server");
            try {
                TlsServer server = keystore != null ? TlsServer.fromKeystore(keystore, passwordFile) : TlsServer.fromPem(pem.cert, pem.key);
                if (clientAuth) server = server.withClientAuth(trust);
                if (server.certificateWarning() != null) {
                    // Rule 21: one line, before "listening on", and the server starts all the same.
                    err.println(model + ": warning: " + server.certificateWarning() + "; clients that check it will refuse it");
                }
                // Rule 25: last, as withClientAuth starts again from the defaults.
                return handshakeTimeout == null ? server : server.withHandshakeTimeout(Duration.ofSeconds(handshakeTimeout));
            } catch (IOException e) {
                throw unusable(spec, e, files("--keystore", keystore, "--keystore-password-file", passwordFile,
                        "--cert", pem.cert, "--key", pem.key, "--trust", trust));
            }
        }
    }

    static final class ForClient {
        @Spec(Spec.Target.MIXEE) CommandSpec spec;

        @Option(names = "--tls", description = "Speak TLS 1.3 or 1.2; needs --trust or --insecure.")
        boolean tls;

        @Option(names = "--trust", paramLabel = "FILE", description = "TLS: the CA certificate(s) the server's must chain to, PEM, or a truststore.")
        Path trust;

        @Option(names = "--insecure", description = "TLS, for demos only: trust any certificate.")
        boolean insecure;

        /** For a server with --client-auth (rule 22). */
        @Mixin Pem pem = new Pem();

        /** The client's TLS, or null for plain TCP; warns on {@code err} when it is --insecure. */
        TlsClient build(String model, PrintStream err) {
            if (!tls) {
                needsTls(spec, Map.of("--trust", trust != null, "--insecure", insecure, "--cert", pem.cert != null, "--key", pem.key != null));
                return null;
            }
            if (insecure && trust != null) throw bad(spec, "Options '--insecure' and '--trust' do not go together");
            if (!insecure && trust == null) {
                throw bad(spec, "Option '--tls' needs '--trust FILE', the CA the server's certificate chains to (or, for demos only, '--insecure')");
            }
            pair(spec, "--cert", pem.cert, "--key", pem.key);
            try {
                TlsClient client = insecure ? TlsClient.insecure() : TlsClient.trusting(trust);
                if (pem.cert != null) client = client.withIdentity(pem.cert, pem.key);
                if (insecure) {
                    // Rule 23: said once, where the user sees it, however many connections follow.
                    err.println(model + ": warning: --insecure: the server's certificate is not checked;"
                            + " anyone on the path can read and change this traffic");
                }
                return client;
            } catch (IOException e) {
                throw unusable(spec, e, files("--trust", trust, "--cert", pem.cert, "--key", pem.key));
            }
        }
    }

    /** --cert and --key, the same on both ends: the certificate this end shows, and its key. */
    static final class Pem {
        @Option(names = "--cert", paramLabel = "FILE", description = "TLS: this end's certificate (chain), PEM, its own first.")
        Path cert;

        @Option(names = "--key", paramLabel = "FILE", description = "TLS: that certificate's private key, PEM.")
        Path key;
    }

    private static void needsTls(CommandSpec spec, Map<String, Boolean> given) {
        given.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).sorted().findFirst()
                .ifPresent(option -> {
                    throw bad(spec, "Option '" + option + "' needs '--tls'");
                });
    }

    private static void pair(CommandSpec spec, String first, Path a, String second, Path b) {
        if (a != null && b == null) throw bad(spec, "Option '" + first + "' needs '" + second + "'");
        if (a == null && b != null) throw bad(spec, "Option '" + second + "' needs '" + first + "'");
    }

    /** Names the option whose file the message starts with (the files' messages all begin with it). */
    private static ParameterException unusable(CommandSpec spec, IOException e, Map<String, Path> files) {
        String message = e.getMessage();
        for (Map.Entry<String, Path> f : files.entrySet()) {
            if (message.startsWith(f.getValue() + ":")) {
                return bad(spec, "Invalid value for option '" + f.getKey() + "': " + message);
            }
        }
        return bad(spec, "Invalid TLS files: " + message);
    }

    private static Map<String, Path> files(Object... optionsAndPaths) {
        Map<String, Path> files = new LinkedHashMap<>();
        for (int i = 0; i < optionsAndPaths.length; i += 2) {
            if (optionsAndPaths[i + 1] != null) files.put((String) optionsAndPaths[i], (Path) optionsAndPaths[i + 1]);
        }
        return files;
    }

    private static ParameterException bad(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
