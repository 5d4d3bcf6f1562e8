package fourways.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Rule 19's waits: sleep whole milliseconds only while they end before the spin, then spin. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PacerTest {

    @Test
    void rule19_aSelectorSleepsOnlyWholeMillisecondsThatEndBeforeTheSpin() {
        assertEquals(0, Pacer.selectMillis(-5));                     // overdue: no sleep at all
        assertEquals(0, Pacer.selectMillis(100_000));                // inside the spin
        assertEquals(0, Pacer.selectMillis(Pacer.SPIN_NANOS + 999_999));   // less than a whole millisecond before it
        assertEquals(1, Pacer.selectMillis(Pacer.SPIN_NANOS + 1_000_000));
        assertEquals(9, Pacer.selectMillis(Pacer.SPIN_NANOS + 9_500_000));
    }

    @Test
    void rule19_aTimerFiresTheSpinEarly() {
        assertEquals(0, Pacer.timerNanos(50_000));
        assertEquals(800_000, Pacer.timerNanos(Pacer.SPIN_NANOS + 800_000));
    }

    @Test
    void rule19_awaitDueReturnsAtTheDueTimeNotBefore() {
        long due = System.nanoTime() + 2_000_000;

        Pacer.awaitDue(due, due + TimeUnit.SECONDS.toNanos(5));

        assertTrue(System.nanoTime() - due >= 0, "returned before the frame was due");
    }

    @Test
    void rule17_awaitDueNeverWaitsPastTheRunsDeadline() {
        long now = System.nanoTime();

        Pacer.awaitDue(now + TimeUnit.HOURS.toNanos(1), now + 1_000_000);

        assertTrue(System.nanoTime() - now < TimeUnit.SECONDS.toNanos(5), "waited past the deadline");
    }
}
