package fourways.testsuite;

import fourways.protocol.Cli;
import fourways.protocol.Model;

/**
 * Runs any model's command line in a child process: {@code Launch MODEL_CLASS args...}. The
 * suite uses it where only a real process can tell: a C locale, SIGTERM, the exit status.
 */
public final class Launch {
    private Launch() {}

    public static void main(String[] args) throws ReflectiveOperationException {
        Model model = (Model) Class.forName(args[0]).getDeclaredConstructor().newInstance();
        Cli.main(model, java.util.Arrays.copyOfRange(args, 1, args.length));
    }
}
