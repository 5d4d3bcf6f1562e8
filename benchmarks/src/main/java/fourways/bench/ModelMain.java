package fourways.bench;

import fourways.protocol.Cli;
import java.util.Arrays;

/**
 * {@code java -cp CLASSPATH fourways.bench.ModelMain blocking-io server --port 0}: any
 * contender's command line (rule 20) from the benchmarks' own class path. {@link ServerProcess}
 * falls back to it where a module's jar is not built, as in the tests of this module.
 */
public final class ModelMain {
    private ModelMain() {}

    public static void main(String[] args) {
        Cli.main(Contender.byName(args[0]).model(), Arrays.copyOfRange(args, 1, args.length));
    }
}
