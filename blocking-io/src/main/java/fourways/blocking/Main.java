package fourways.blocking;

import fourways.protocol.Cli;

/**
 * {@code java -jar blocking-io/target/blocking-io.jar server|client ...}: the command line of
 * PROTOCOL.md rule 20, on the blocking model.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Cli.main(new BlockingModel(), args);
    }
}
