package io.trainscope.history;

/**
 * Every iteration of one run, in order: point {@code i} is iteration {@code i}. One thread appends (the
 * run's trainer); any thread may read what has been published, which is everything before {@link #size()}.
 * The in-memory {@link MemoryHistory} is one implementation; a disk-backed store can be another.
 */
public interface History {

    /** Weight layers per point. */
    int depth();

    /** Points published so far; reads below this index are safe from any thread. */
    long size();

    /** Appends a batch whose first iteration is {@link #size()}; the single writer's call. */
    void append(Points batch);

    /** A copy of iterations {@code [from, to)}, clipped to what is published. */
    Points read(long from, long to);

    /**
     * Iterations {@code [from, to)} in at most about {@code maxPoints} real points, in iteration order: all of
     * them when they fit, else {@link Downsample buckets} that keep the range's first and last point.
     */
    default Points summary(long from, long to, int maxPoints) {
        return Downsample.of(this, from, to, maxPoints);
    }
}
