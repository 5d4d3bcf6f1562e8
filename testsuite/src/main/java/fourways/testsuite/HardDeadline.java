package fourways.testsuite;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * The black-box runner's deadline per test: the test body runs on a thread of its own, and
 * once the deadline passes the runner closes every socket the test opened and stops the server
 * (what wakes a thread blocked in a socket write, which no interrupt does), then fails the test
 * saying where it was stuck. It costs one platform thread per test.
 *
 * <p>JUnit's own {@code @Timeout} only interrupts the test's thread: a write to a server that
 * never reads ignores that, and a run against such a server (a student's first try) hung for ever.
 */
final class HardDeadline implements InvocationInterceptor {
    /** After the sockets are closed, how long the test's thread gets to notice before it is left behind. */
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final Duration limit;

    HardDeadline(Duration limit) {
        this.limit = limit;
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        SuiteBase suite = (SuiteBase) call.getTarget().orElseThrow();
        CompletableFuture<Void> body = new CompletableFuture<>();
        // A daemon: a body that even closed sockets cannot wake must not keep the runner's JVM alive.
        Thread test = Thread.ofPlatform().daemon().name("test-" + call.getExecutable().getName()).start(() -> {
            try {
                invocation.proceed();
                body.complete(null);
            } catch (Throwable t) {
                body.completeExceptionally(t);
            }
        });
        try {
            body.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (ExecutionException failed) {
            throw failed.getCause();                       // the test's own verdict, as it came
        } catch (TimeoutException late) {
            // falls through: the test's thread is still in there
        }
        String where = where(test.getStackTrace());
        try {
            suite.closeEverything();                       // wakes blocked reads and writes; stops the server
        } catch (Exception closing) {
            // a socket that would not close is the test's trouble no more: the verdict is the deadline
        }
        test.interrupt();                                  // wakes a sleep, a latch, a future
        try {
            body.get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException ignored) {
            // whatever it says now comes from the sockets we closed: the verdict is the deadline
        }
        throw new AssertionError("no verdict within " + limit.toSeconds() + " s: the test was " + where
                + "; the runner closed its sockets and stopped the server"
                + (test.isAlive() ? " (its thread is still stuck, and left behind)" : ""));
    }

    /** What a stuck test waits for, from its stack: the kind of wait, and the suite's line that waits. */
    static String where(StackTraceElement[] stack) {
        String line = Arrays.stream(stack)
                .filter(f -> f.getClassName().startsWith(HardDeadline.class.getPackageName() + "."))
                .filter(f -> !f.getClassName().startsWith(RawClient.class.getName()))
                .findFirst().map(f -> " at " + f.getFileName() + ":" + f.getLineNumber()).orElse("");
        String top = stack.length == 0 ? "" : stack[0].getClassName() + "." + stack[0].getMethodName();
        String wait = Arrays.stream(stack).limit(12).map(f -> f.getClassName() + "." + f.getMethodName())
                .map(HardDeadline::kind).filter(k -> !k.isEmpty()).findFirst()
                .orElse("still running (in " + top + ")");
        return wait + line;
    }

    private static String kind(String frame) {
        if (frame.contains("Socket") && frame.contains("write") || frame.endsWith("SSLSocketImpl$AppOutputStream.write")) {
            return "blocked writing to the server, which had stopped reading";
        }
        if (frame.contains("Socket") && frame.contains("read")) return "waiting for the server to send something";
        if (frame.contains("connect")) return "waiting for the server to accept a connection";
        if (frame.startsWith("java.lang.Process") || frame.contains("ProcessImpl")) return "waiting for a program to exit";
        return "";
    }
}
