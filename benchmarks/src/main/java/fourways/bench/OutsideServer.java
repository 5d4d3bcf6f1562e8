package fourways.bench;

import fourways.protocol.CommandTemplate;
import java.util.List;

/**
 * A server the user brings, {@code ./run --server 'mine=COMMAND {port}'}: any program that
 * speaks PROTOCOL.md and prints rule 20's {@code listening on HOST:PORT} line. It is started
 * with its command as given, {@code {port}} replaced by 0; none of the options the project's
 * own servers get ({@code --idle-timeout 0}, a heap) are added, since its options are its own.
 *
 * @param label its name in the table
 * @param command its command line
 */
public record OutsideServer(String label, CommandTemplate command) implements Entrant {

    /** {@code name=COMMAND {port}}; a missing name, an empty command or no {@code {port}} is refused. */
    public static OutsideServer parse(String spec) {
        int eq = spec.indexOf('=');
        String name = eq < 0 ? "" : spec.substring(0, eq).strip();
        if (name.isEmpty() || !name.matches("[\\w.+-]+")) {
            throw new IllegalArgumentException("--server '" + spec + "': give it as NAME=COMMAND {port}, the name in"
                    + " letters, digits, '.', '+', '-' or '_'");
        }
        CommandTemplate command = CommandTemplate.parse(spec.substring(eq + 1));
        if (!command.hasPort()) {
            throw new IllegalArgumentException("--server " + name + ": the command needs {port}, where the port goes");
        }
        for (Contender c : Contender.values()) {
            if (c.label().equalsIgnoreCase(name) || c.name().equalsIgnoreCase(name)) {
                throw new IllegalArgumentException("--server " + name + ": that name is one of the project's servers");
            }
        }
        return new OutsideServer(name, command);
    }

    /** The process's command: as given, with {@code {port}} 0 (the system picks) and {@code {args}} nothing. */
    public List<String> commandLine() {
        return command.command("0", List.of());
    }

    @Override
    public String toString() {
        return label;
    }
}
