package fourways.coursework.e2_opwritespin;

/** What exercise 2's checker reads from a server: how many times its selector loop has woken. */
public interface Wakeups {
    /** Returns of {@code select()} so far; any thread may ask. */
    long wakeups();
}
