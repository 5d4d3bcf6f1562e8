package fourways.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A program given as one line: split as a shell splits words, {port} and {args} filled in. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CommandTemplateTest {

    @Test
    void portIsReplacedWhereverItStandsAndArgsExpandInPlace() {
        CommandTemplate t = CommandTemplate.parse("mono echo.exe --port {port} {args} --verbose");
        assertTrue(t.hasPort());
        assertEquals(List.of("mono", "echo.exe", "--port", "0", "--max-frame", "10", "--verbose"),
                t.command("0", List.of("--max-frame", "10")));
        assertEquals(List.of("./srv", "127.0.0.1:5000"), CommandTemplate.parse("./srv 127.0.0.1:{port}")
                .command("5000", List.of()));
    }

    @Test
    void withoutArgsTheOptionsGoAtTheEnd() {
        assertEquals(List.of("python3", "echo.py", "7", "--one-shot"),
                CommandTemplate.parse("python3 echo.py {port}").command("7", List.of("--one-shot")));
    }

    @Test
    void quotesGroupAndABackslashEscapes() {
        assertEquals(List.of("java", "-jar", "my server.jar", "a b", "it's", "x y", "--port", "9"),
                CommandTemplate.parse("java -jar 'my server.jar' \"a b\" it\\'s x\\ y --port {port}")
                        .command("9", List.of()));
        assertEquals(List.of("sh", "-c", "exec srv --port 0"),
                CommandTemplate.parse("sh -c 'exec srv --port {port}'").command("0", List.of()));
        assertEquals(List.of("a", "", "b"), CommandTemplate.parse("a '' b").command("0", List.of()));
    }

    @Test
    void anUnclosedQuoteATrailingBackslashOrNothingAtAllIsRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CommandTemplate.parse("srv 'oops"))
                .getMessage().contains("unclosed"));
        assertThrows(IllegalArgumentException.class, () -> CommandTemplate.parse("srv \\"));
        assertThrows(IllegalArgumentException.class, () -> CommandTemplate.parse("   "));
        assertFalse(CommandTemplate.parse("srv --port 11000").hasPort());
    }
}
