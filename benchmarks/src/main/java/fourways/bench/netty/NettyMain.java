package fourways.bench.netty;

import fourways.protocol.Cli;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code java -cp benchmarks/target/benchmarks.jar fourways.bench.netty.NettyMain server --port 0
 * [--transport nio|epoll|kqueue] [--ssl-provider jdk|openssl] [--threads N] [--tls ...]}: the
 * Netty baseline with the command line of rule 20 (echo only), TLS options included.
 * {@code --transport} picks Netty's transport before the shared command line parses the rest:
 * nio (the default), or epoll (Linux) or kqueue (macOS) where its native library loads;
 * {@code --ssl-provider} the engine under its SslHandler when {@code --tls} is given: the JDK's
 * (the default) or OpenSSL where netty-tcnative loads.
 */
public final class NettyMain {
    private NettyMain() {}

    public static void main(String[] args) {
        List<String> rest = new ArrayList<>();
        String transport = "nio";
        String provider = "jdk";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--transport") && i + 1 < args.length) {
                transport = args[++i];
            } else if (args[i].startsWith("--transport=")) {
                transport = args[i].substring("--transport=".length());
            } else if (args[i].equals("--ssl-provider") && i + 1 < args.length) {
                provider = args[++i];
            } else if (args[i].startsWith("--ssl-provider=")) {
                provider = args[i].substring("--ssl-provider=".length());
            } else {
                rest.add(args[i]);
            }
        }
        NettyModel.Transport t;
        try {
            t = NettyModel.Transport.valueOf(transport.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            badOption("Invalid value for option '--transport': '" + transport + "' is not nio, epoll or kqueue");
            return;
        }
        if (!t.isAvailable()) {
            badOption("Invalid value for option '--transport': " + transport + " is not available here: "
                    + t.whyUnavailable());
            return;
        }
        NettyTls.Provider p;
        try {
            p = NettyTls.Provider.byLabel(provider);
        } catch (IllegalArgumentException e) {
            badOption("Invalid value for option '--ssl-provider': '" + provider + "' is not jdk or openssl");
            return;
        }
        if (!p.isAvailable()) {
            badOption("Invalid value for option '--ssl-provider': " + p.whyUnavailable());
            return;
        }
        Cli.main(new NettyModel(t, p), rest.toArray(String[]::new));
    }

    /** Rule 20: one line naming the option, one pointing to --help, status 2. */
    private static void badOption(String line) {
        System.err.println(line);
        System.err.println("Try 'netty server --help' for more.");
        System.exit(Cli.BAD_OPTION);
    }
}
