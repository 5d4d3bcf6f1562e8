package fourways.async;

import fourways.protocol.Cli;

/**
 * {@code java -jar nio2-async/target/nio2-async.jar server|client ...}: the command line of
 * PROTOCOL.md rule 20, on NIO2's asynchronous channels.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Cli.main(new AsyncModel(), args);
    }
}
