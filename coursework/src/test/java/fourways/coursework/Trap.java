package fourways.coursework;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * A checker's trap, in one sentence a student understands: every failure of the checker's tests
 * starts with it, and goes on with what the test saw (the bytes expected and received, what it
 * waited for). A bare {@code Read timed out} tells a student nothing; the trap says where to look.
 *
 * <p>In a student's run ({@code -Dexercise}, whose profile sets {@code coursework.report}) a
 * failure is handed on as {@link Sprung}, which JUnit counts as aborted: Surefire then neither
 * prints it a second time with its stack trace nor fails the build with Maven's {@code [ERROR]
 * ... [Help 1]} tail, and {@link CheckSummary} tells it once, above its summary line. Everywhere
 * else (CourseworkSelfTest, an IDE) a failure stays a failure.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Inherited
@ExtendWith(Trap.Teller.class)
public @interface Trap {
    String value();

    /** Puts the trap in front of a failure's message, keeping where it happened. */
    final class Teller implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
        /** A check made after the test (a bounded close, say) fails as the test's own would. */
        @Override
        public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
            handleTestExecutionException(context, thrown);
        }

        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
            Trap trap = context.getRequiredTestClass().getAnnotation(Trap.class);
            if (trap == null || thrown instanceof TestAbortedException) throw thrown;
            String what = thrown instanceof AssertionError ? thrown.getMessage() : "It failed with " + thrown;
            AssertionFailedError told = new AssertionFailedError(trap.value() + "\n" + what);
            told.setStackTrace(thrown.getStackTrace());
            throw Boolean.getBoolean("coursework.report") ? new Sprung(told.getMessage()) : told;
        }
    }

    /** A check that failed in a student's run: reported by {@link CheckSummary}, not thrown at Maven. */
    final class Sprung extends TestAbortedException {
        private static final long serialVersionUID = 1L;

        Sprung(String message) {
            super(message);
        }
    }
}
