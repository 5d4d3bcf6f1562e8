package fourways.bench;

import java.util.Arrays;
import java.util.List;

/**
 * One of the project's servers started with JVM flags of its own ({@code ./run --variant}), as
 * a row of its own beside the plain one: the same code, another setting of the JDK under it,
 * e.g. virtual-threads with {@code -Djdk.pollerMode=2}. The cost of a variant is its trials.
 *
 * @param label its name in the table, e.g. {@code vt-poller-mode-2}
 * @param base the server it varies
 * @param jvmFlags what its JVM gets after the run's own heap flags
 */
public record Variant(String label, Contender base, List<String> jvmFlags) implements Entrant {

    /**
     * {@code NAME=MODEL:FLAGS}, e.g. {@code vt-readers-2=virtual-threads:-Djdk.readPollers=2}; the
     * flags split at spaces.
     */
    public static Variant parse(String spec) {
        int eq = spec.indexOf('=');
        int colon = spec.indexOf(':', eq + 1);
        if (eq < 1 || colon < 0 || colon == spec.length() - 1) {
            throw new IllegalArgumentException("--variant " + spec + ": expected NAME=MODEL:FLAGS,"
                    + " e.g. vt-poller-mode-2=virtual-threads:-Djdk.pollerMode=2");
        }
        Contender base = Contender.byName(spec.substring(eq + 1, colon));
        if (!base.isModule()) throw new IllegalArgumentException("--variant " + spec + ": " + base + " is not one of the four models");
        List<String> flags = Arrays.stream(spec.substring(colon + 1).trim().split("\\s+")).toList();
        if (flags.stream().anyMatch(f -> !f.startsWith("-"))) {
            throw new IllegalArgumentException("--variant " + spec + ": JVM flags start with '-'");
        }
        return new Variant(spec.substring(0, eq), base, flags);
    }

    @Override
    public String toString() {
        return label + " (" + base.label() + " " + String.join(" ", jvmFlags) + ")";
    }
}
