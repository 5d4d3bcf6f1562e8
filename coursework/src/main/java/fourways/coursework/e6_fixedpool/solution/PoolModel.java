package fourways.coursework.e6_fixedpool.solution;

import fourways.coursework.ExerciseModel;

/**
 * Exercise 6's solution behind the seam: a selector that waits and a fixed pool that works
 * ({@code --workers N}, default one per processor); its client is blocking-io's.
 */
public final class PoolModel extends ExerciseModel {

    public PoolModel() {
        super("fixed-pool", PoolServer::new);
    }

    @Override
    public ThreadsOption threadsOption() {
        return new ThreadsOption("--workers", "Worker threads of the fixed pool (default: one per processor).");
    }
}
