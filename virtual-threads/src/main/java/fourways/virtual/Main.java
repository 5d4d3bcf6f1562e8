package fourways.virtual;

import fourways.protocol.Cli;

/**
 * {@code java -jar virtual-threads/target/virtual-threads.jar server|client ...}: the command
 * line of PROTOCOL.md rule 20, on a virtual thread per connection.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Cli.main(new VirtualModel(), args);
    }
}
