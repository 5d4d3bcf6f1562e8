package fourways.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every rule that the command line's {@code --help} cites is the rule of PROTOCOL.md that names
 * the option: "(rule 18)" on {@code --warm-up} once sent a reader to the report line, where the
 * warm-up is rule 17's. Read from the help itself, so an option added with a citation is checked
 * without a word here.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HelpRulesTest {
    /** Surefire runs in the module's folder, protocol/, and says so in {@code basedir}. */
    private static final Path PROTOCOL_MD =
            Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../PROTOCOL.md").normalize();
    /** The line that starts an option's entry in picocli's usage: {@code   -p, --port=N  ...}. */
    private static final Pattern OPTION = Pattern.compile("^\\s+(?:-\\w, )?(--[a-z][a-z-]*)");
    private static final Pattern CITED = Pattern.compile("\\(rules? (\\d+)\\)");
    private static final Pattern RULE_START = Pattern.compile("^(\\d+)\\. \\*\\*");

    @Test
    void everyRuleTheHelpCites_namesTheOptionThatCitesIt() throws IOException {
        Map<Integer, String> rules = rules(Files.readAllLines(PROTOCOL_MD, StandardCharsets.UTF_8));
        List<String> wrong = new ArrayList<>();
        int cited = 0;
        for (String command : List.of("server", "client")) {
            for (Map.Entry<String, String> entry : entries(help(command)).entrySet()) {
                Matcher m = CITED.matcher(entry.getValue());
                while (m.find()) {
                    cited++;
                    int rule = Integer.parseInt(m.group(1));
                    if (!rules.getOrDefault(rule, "").contains(entry.getKey())) {
                        wrong.add(command + " " + entry.getKey() + " cites rule " + rule + ", which does not name it");
                    }
                }
            }
        }
        assertTrue(cited > 0, "the help cites no rule at all: is the parse of the usage still right?");
        assertEquals(List.of(), wrong);
    }

    private static String help(String command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Cli.run(new NoModel(), new String[] {command, "--help"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()), () -> {});
        assertEquals(Cli.OK, status);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Each option of the usage with its description, continuation lines joined. */
    private static Map<String, String> entries(String usage) {
        Map<String, String> entries = new HashMap<>();
        String option = null;
        for (String line : usage.lines().toList()) {
            Matcher m = OPTION.matcher(line);
            if (m.find()) {
                option = m.group(1);
                entries.put(option, line);
            } else if (option != null) {
                entries.merge(option, " " + line.strip(), String::concat);
            }
        }
        return entries;
    }

    /** PROTOCOL.md's numbered rules, each to the next rule or heading. */
    private static Map<Integer, String> rules(List<String> lines) {
        Map<Integer, String> rules = new HashMap<>();
        Integer current = null;
        for (String line : lines) {
            Matcher m = RULE_START.matcher(line);
            if (m.find()) current = Integer.parseInt(m.group(1));
            else if (line.startsWith("#")) current = null;
            if (current != null) rules.merge(current, line + "\n", String::concat);
        }
        return rules;
    }

    /** Only the usage is asked for: nothing is started, connected or loaded. */
    private static final class NoModel implements Model {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public Server start(ServerConfig config) {
            throw new AssertionError("--help starts no server");
        }

        @Override
        public Link connect(InetSocketAddress server) {
            throw new AssertionError("--help connects nowhere");
        }

        @Override
        public void load(InetSocketAddress server, LoadRun run) {
            throw new AssertionError("--help runs no load");
        }
    }
}
