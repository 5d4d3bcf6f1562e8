package fourways.bench;

import fourways.bench.netty.NettyTls;
import fourways.protocol.Cli;
import fourways.protocol.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -cp CLASSPATH fourways.bench.TlsLoadClient MODEL --engine jdk|openssl OPTIONS}:
 * the pipelined-tls row's load client, MODEL's own {@code client} command (rules 17 to 19, 23)
 * with its engines from the JDK or from OpenSSL ({@link OpenSslEngines}). The OPTIONS are the
 * client's own; {@code --trust FILE} among them is also what OpenSSL's engines trust. Costs
 * nothing beyond the client it runs.
 */
public final class TlsLoadClient {
    private TlsLoadClient() {}

    public static void main(String[] args) {
        List<String> options = new ArrayList<>(List.of(args).subList(1, args.length));
        Model model = Contender.byName(args[0]).model();
        NettyTls.Provider engine = NettyTls.Provider.byLabel(take(options, "--engine", "jdk"));
        int trust = options.indexOf("--trust");
        if (engine == NettyTls.Provider.OPENSSL && trust >= 0 && trust + 1 < options.size()) {
            try {
                model = OpenSslEngines.swapped(model, OpenSslEngines.trusting(Path.of(options.get(trust + 1))));
            } catch (IOException e) {
                // Said and ended here, with rule 20's status for an option that cannot be honoured.
                System.err.println(model.name() + ": --engine openssl: " + e.getMessage());
                System.exit(Cli.BAD_OPTION);
            }
        }
        options.addFirst("client");
        Cli.main(model, options.toArray(String[]::new));
    }

    /** {@code java JVMARGS -cp CLASSPATH fourways.bench.TlsLoadClient MODEL}: the options follow. */
    public static List<String> command(Contender client, List<String> jvmArgs) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        c.addAll(jvmArgs);
        c.addAll(List.of("-cp", System.getProperty("java.class.path"), TlsLoadClient.class.getName(), client.label()));
        return c;
    }

    /** Removes {@code name} and its value from {@code options}; returns the value, or {@code otherwise}. */
    static String take(List<String> options, String name, String otherwise) {
        int i = options.indexOf(name);
        if (i < 0 || i + 1 >= options.size()) return otherwise;
        String value = options.remove(i + 1);
        options.remove(i);
        return value;
    }
}
