package fourways.selector;

import fourways.protocol.Cli;

/**
 * {@code java -jar nio-selector/target/nio-selector.jar server|client ...}: the command line
 * of PROTOCOL.md rule 20, on the selector model.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Cli.main(new SelectorModel(), args);
    }
}
