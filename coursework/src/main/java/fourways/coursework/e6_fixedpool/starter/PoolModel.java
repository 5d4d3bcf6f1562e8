package fourways.coursework.e6_fixedpool.starter;

import fourways.coursework.ExerciseModel;

/**
 * Exercise 6's starter behind the seam: the fixed-pool model, whose {@link PoolServer} is yours
 * to write ({@code --workers N} is its pool's size); its client is blocking-io's.
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
