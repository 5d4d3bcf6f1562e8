package fourways.bench;

import fourways.bench.netty.NettyTls;
import fourways.protocol.Link;
import fourways.protocol.LoadRun;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.protocol.TlsClient;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * The TLS load client on OpenSSL's engine (BoringSSL through netty-tcnative, as the Netty
 * baseline's server runs it): a model's own client, engines and all, with only the engine
 * swapped, so that a handshake costs the client a fraction of what it costs a JDK server, and
 * the client no longer sets the TLS rows' pace. Costs one client context, built once; each
 * engine is native memory, freed when the engine is collected (SslProvider.OPENSSL's
 * finalizer), since a model's client never says it is done with one.
 */
public final class OpenSslEngines {
    /** The models whose clients take an SSLEngine per connection ({@link TlsClient#newEngine}); blocking-io takes sockets. */
    private static final Set<Contender> ENGINE_CLIENTS = Set.of(Contender.NIO_SELECTOR, Contender.NIO2_ASYNC);

    private OpenSslEngines() {}

    /** Why {@code loader}'s client cannot run on OpenSSL here, or null when it can. */
    public static String whyNot(Contender loader) {
        if (!NettyTls.Provider.OPENSSL.isAvailable()) return NettyTls.Provider.OPENSSL.whyUnavailable();
        if (!ENGINE_CLIENTS.contains(loader)) return loader + "'s client takes a JDK socket, not an engine";
        return null;
    }

    /** For the results' header: "netty-tcnative BoringSSL", or the like. */
    public static String version() {
        return "netty-tcnative " + OpenSsl.versionString();
    }

    /**
     * Trusts {@code ca} (PEM) and checks the certificate names the host dialled (rule 23), TLS
     * 1.3 and 1.2, as {@link TlsClient#trusting} does. Never resumes a session: its session cache
     * is off, so every handshake is a full one (a fresh JDK context per connection,
     * {@link TlsClient#withNewSessionCache()}, is what the JDK's engine needs for the same).
     */
    public static TlsClient trusting(Path ca) throws IOException {
        if (!NettyTls.Provider.OPENSSL.isAvailable()) throw new IOException(NettyTls.Provider.OPENSSL.whyUnavailable());
        SslContext context;
        try {
            context = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL).protocols("TLSv1.3", "TLSv1.2")
                    .trustManager(ca.toFile()).endpointIdentificationAlgorithm("HTTPS").build();
        } catch (SSLException e) {
            throw new IOException("cannot set up OpenSSL's TLS client: " + e.getMessage(), e);
        }
        ((OpenSslSessionContext) context.sessionContext()).setSessionCacheEnabled(false);
        // The host and port name the server: SNI for a host name (never for an address), and the
        // name the certificate must carry. The engine comes in client mode.
        return TlsClient.withEngines(server -> context.newEngine(ByteBufAllocator.DEFAULT, server.getHostString(),
                server.getPort()), "TLS client (OpenSSL)");
    }

    /** {@code model} whose client, whenever it is given a TLS client, runs on {@code tls} instead. */
    public static Model swapped(Model model, TlsClient tls) {
        return new Model() {
            @Override
            public String name() {
                return model.name();
            }

            @Override
            public Server start(ServerConfig config) throws IOException {
                return model.start(config);
            }

            @Override
            public Link connect(InetSocketAddress server) throws IOException {
                return model.connect(server);
            }

            @Override
            public Link connect(InetSocketAddress server, TlsClient jdk) throws IOException {
                return model.connect(server, jdk == null ? null : tls);
            }

            @Override
            public void load(InetSocketAddress server, LoadRun run) throws InterruptedException {
                model.load(server, run);
            }

            @Override
            public void load(InetSocketAddress server, LoadRun run, TlsClient jdk) throws InterruptedException {
                model.load(server, run, jdk == null ? null : tls);
            }

            @Override
            public ThreadsOption threadsOption() {
                return model.threadsOption();
            }
        };
    }
}
