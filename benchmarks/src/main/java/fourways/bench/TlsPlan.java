package fourways.bench;

import fourways.bench.netty.NettyModel;
import fourways.bench.netty.NettyTls;
import fourways.protocol.TlsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The side-by-side run's TLS workloads, planned: the run's certificate (made now, in a folder
 * of its own, deleted by {@link #close()}), the servers over TLS with the reason each that
 * cannot runs skips, and the load client that speaks TLS, on OpenSSL's engine where it can
 * ({@link OpenSslEngines}: on the JDK's, the client costs what the server does, and one core of
 * it sets the pace), else the JDK's. Costs a few milliseconds, and one server started and stopped
 * in this JVM per module, to ask it whether it has TLS.
 */
final class TlsPlan implements AutoCloseable {
    /** A row of the run: its server, and why it cannot run here, or null. */
    record Server(Entrant server, String whyNot) {}

    private final Path dir;
    private final BenchPki pki;
    private final TlsServer probe;
    private final Contender client;           // null: no model's client speaks TLS
    private final String noClient;
    private final boolean named;
    private final NettyTls.Provider engine;
    /** Why the client runs on the JDK's engine, not OpenSSL's; null when it runs on OpenSSL's. */
    private final String whyJdk;
    private final Map<String, String> whyNot = new HashMap<>();

    private TlsPlan(Path dir, Contender asked, boolean named, NettyTls.Provider engineAsked) throws IOException {
        this.dir = dir;
        this.pki = BenchPki.create(dir);
        this.probe = TlsServer.fromPem(pki.cert(), pki.key());
        this.named = named;
        // The first preferred client with TLS, or the one asked for with --client if it has TLS.
        this.client = asked == null ? TlsContender.loadClient() : TlsContender.hasTlsClient(asked) ? asked : null;
        this.noClient = client != null ? null : asked != null ? "no TLS yet in " + asked + "'s client (--client)"
                : "no TLS yet in any load client (" + Contender.PREFERRED_LOAD_CLIENTS + ")";
        String whyNotOpenSsl = client == null ? null : OpenSslEngines.whyNot(client);
        this.whyJdk = engineAsked == NettyTls.Provider.JDK ? "asked for (--tls-engine jdk)" : whyNotOpenSsl;
        this.engine = whyJdk == null ? NettyTls.Provider.OPENSSL : NettyTls.Provider.JDK;
        if (engineAsked == NettyTls.Provider.OPENSSL && whyNotOpenSsl != null) {
            throw new IllegalArgumentException("--tls-engine openssl: " + whyNotOpenSsl);
        }
    }

    /**
     * @param asked the client given with --client, or null for the first preferred one with TLS
     * @param engine the client's engine given with --tls-engine, or null for OpenSSL's where it can
     */
    static TlsPlan create(Contender asked, boolean named, NettyTls.Provider engine) throws IOException {
        Path dir = Files.createTempDirectory("fourways-tls-");
        try {
            return new TlsPlan(dir, asked, named, engine);
        } catch (IOException | RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    /** The load client of the TLS workloads; {@code plain} where none has TLS (its rows all skip). */
    Contender loader(Contender plain) {
        return client != null ? client : plain;
    }

    /** A workload's client options, and the TLS ones: trust, and the engine (HandshakeClient's and TlsLoadClient's option). */
    List<String> clientArgs(List<String> args) {
        return Stream.of(args, pki.clientArgs(), List.of("--engine", engine.label())).flatMap(List::stream).toList();
    }

    /** The load client's engine. */
    NettyTls.Provider engine() {
        return engine;
    }

    /**
     * The TLS rows for {@code servers}: each module, and the Netty baseline once per engine. By
     * default on the platform's native transport only: TLS costs the same on either, and the
     * plain workloads compare transports already. An outside server is skipped: its TLS
     * options, if any, are its own.
     */
    List<Server> servers(List<Entrant> servers) {
        List<Server> rows = new ArrayList<>();
        for (Entrant e : servers) {
            if (!(e instanceof Contender c)) {
                rows.add(new Server(e, "an outside server: the run does not know its TLS options"));
                continue;
            }
            if (!c.isModule() && !named && c.transport() != NettyModel.Transport.nativeOrNio()) continue;
            for (TlsContender t : TlsContender.of(c, pki.serverArgs())) {
                String why = noClient != null ? noClient : whyNot.computeIfAbsent(t.label(), l -> t.whyNot(probe));
                rows.add(new Server(t, why));
            }
        }
        return rows;
    }

    /** For the results' header: the certificate, the client, the baseline's engines. */
    String describe() {
        return "EC P-256 certificate, self-signed, made for this run; servers --tls --cert --key, TLS 1.3;"
                + " load client " + (client == null ? "none: " + noClient : client + " --tls --trust"
                + " (the first of " + Contender.PREFERRED_LOAD_CLIENTS + " with a TLS client), on "
                + (whyJdk == null ? "OpenSSL's engine (" + OpenSslEngines.version() + ", session cache off)"
                : "the JDK's engine (not OpenSSL's: " + whyJdk + ")"))
                + "; handshakes: fourways.bench.HandshakeClient on that model's client, which never resumes a"
                + " session (a fresh JDK context per connection, or OpenSSL's session cache off), so every"
                + " handshake is a full one;"
                + " Netty: SslHandler with the JDK's engine (-tls-jdk) and with OpenSSL (-tls-openssl, "
                + (NettyTls.Provider.OPENSSL.isAvailable() ? "netty-tcnative " + io.netty.handler.ssl.OpenSsl.versionString()
                : "does not load here") + ")";
    }

    @Override
    public void close() {
        delete(dir);
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());   // a temp folder, left behind
        }
    }
}
