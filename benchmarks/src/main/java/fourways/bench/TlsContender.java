package fourways.bench;

import fourways.bench.netty.NettyTls;
import fourways.protocol.LoadRun;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.protocol.TlsClient;
import fourways.protocol.TlsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A server of the side-by-side run's TLS workloads: one of the {@link Contender}s started with
 * {@code --tls}, and for the Netty baseline, the engine under its SslHandler (a row each:
 * {@code netty-epoll-tls-jdk}, {@code netty-epoll-tls-openssl}). Costs nothing to make; whether
 * it can run is {@link #whyNot}.
 *
 * @param provider the Netty baseline's engine; null for one of the four modules
 * @param tlsArgs the server's TLS options ({@link BenchPki#serverArgs()})
 */
public record TlsContender(Contender contender, NettyTls.Provider provider, List<String> tlsArgs) implements Entrant {

    /** Its row: the module's own name (the workload says TLS), or the Netty transport and engine. */
    @Override
    public String label() {
        return provider == null ? contender.label() : contender.label() + "-tls-" + provider.label();
    }

    /** The options after {@code server}: the engine's, for Netty, then the TLS options. */
    public List<String> serverArgs() {
        List<String> args = new ArrayList<>();
        if (provider != null) args.addAll(List.of("--ssl-provider", provider.label()));
        args.addAll(tlsArgs);
        return args;
    }

    /** The TLS rows of one contender: the module's one, or one per engine for the Netty baseline. */
    public static List<TlsContender> of(Contender c, List<String> tlsArgs) {
        if (c.isModule()) return List.of(new TlsContender(c, null, tlsArgs));
        return Arrays.stream(NettyTls.Provider.values()).map(p -> new TlsContender(c, p, tlsArgs)).toList();
    }

    /**
     * Why this server cannot run over TLS here, or null when it can. A module is asked the only
     * way that cannot be wrong, by starting its server with {@code tls} on a free port, in this
     * JVM, and closing it at once: a model without TLS refuses ({@link ServerConfig#requirePlain}),
     * and the day it gains TLS its row runs, with no list here to update.
     */
    public String whyNot(TlsServer tls) {
        if (provider != null) return provider.whyUnavailable();
        Model model = contender.model();
        ServerConfig probe = ServerConfig.defaults().withPort(0).withTls(tls);
        try (Server server = model.start(probe)) {
            return null;
        } catch (UnsupportedOperationException e) {
            return "no TLS yet (" + e.getMessage() + ")";
        } catch (IOException e) {
            return "its TLS server did not start: " + e.getMessage();
        }
    }

    /**
     * Whether a module's client speaks TLS: it overrides both {@link Model#load(InetSocketAddress,
     * LoadRun, TlsClient)} (pipelined-tls) and {@link Model#connect(InetSocketAddress, TlsClient)}
     * (handshakes), whose defaults refuse TLS. Asked of the class, not by a run: a client needs
     * a server to be asked by running.
     */
    public static boolean hasTlsClient(Contender c) {
        if (!c.isModule() || !c.isAvailable()) return false;
        Class<?> model = c.model().getClass();
        try {
            return model.getMethod("load", InetSocketAddress.class, LoadRun.class, TlsClient.class)
                    .getDeclaringClass() != Model.class
                    && model.getMethod("connect", InetSocketAddress.class, TlsClient.class).getDeclaringClass() != Model.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** The first of {@link Contender#PREFERRED_LOAD_CLIENTS} with a TLS client, or null. */
    public static Contender loadClient() {
        return Contender.PREFERRED_LOAD_CLIENTS.stream().filter(TlsContender::hasTlsClient).findFirst().orElse(null);
    }

    @Override
    public String toString() {
        return label();
    }
}
