package fourways.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * A program given as one line of text, {@code 'mono echo.exe --port {port} {args}'}, turned
 * into the argument list of a process: what the black-box runner and {@code ./run --server}
 * start. It costs nothing at run time; the program is started directly, not through a shell.
 *
 * <p>The trap it avoids: {@code sh -c COMMAND} would make the shell the process we stop, and
 * SIGTERM to a shell does not reach the server behind it (rule 14 is then judged on the shell).
 * So the line is split here, as a shell splits words: blanks separate, single and double
 * quotes group, a backslash escapes the next character. {@code {port}} is replaced wherever it
 * stands; {@code {args}}, a word of its own, becomes the options (or nothing), and where the
 * line has no {@code {args}} the options go at its end.
 */
public final class CommandTemplate {
    public static final String PORT = "{port}";
    public static final String ARGS = "{args}";

    private final String line;
    private final List<String> words;

    private CommandTemplate(String line, List<String> words) {
        this.line = line;
        this.words = words;
    }

    /** Splits {@code line}; an unclosed quote, a trailing backslash or an empty line is refused. */
    public static CommandTemplate parse(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quote != 0) {
                if (ch == quote) quote = 0;
                else if (ch == '\\' && quote == '"' && i + 1 < line.length()) word.append(line.charAt(++i));
                else word.append(ch);
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                inWord = true;
            } else if (ch == '\\') {
                if (++i == line.length()) throw new IllegalArgumentException("a backslash ends the command: " + line);
                word.append(line.charAt(i));
                inWord = true;
            } else if (Character.isWhitespace(ch)) {
                if (inWord) words.add(word.toString());
                word.setLength(0);
                inWord = false;
            } else {
                word.append(ch);
                inWord = true;
            }
        }
        if (quote != 0) throw new IllegalArgumentException("an unclosed " + quote + " in the command: " + line);
        if (inWord) words.add(word.toString());
        if (words.isEmpty()) throw new IllegalArgumentException("the command is empty");
        return new CommandTemplate(line, List.copyOf(words));
    }

    /** True when the line names {@code {port}}: a server's command must, so that it can be moved. */
    public boolean hasPort() {
        return words.stream().anyMatch(w -> w.contains(PORT));
    }

    /** The process's arguments: {@code {port}} replaced by {@code port}, {@code {args}} by {@code args}. */
    public List<String> command(String port, List<String> args) {
        List<String> command = new ArrayList<>();
        boolean placed = false;
        for (String w : words) {
            if (w.equals(ARGS)) {
                command.addAll(args);
                placed = true;
            } else {
                command.add(w.replace(PORT, port));
            }
        }
        if (!placed) command.addAll(args);
        return command;
    }

    @Override
    public String toString() {
        return line;
    }
}
