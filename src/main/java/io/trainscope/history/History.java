package io.trainscope.history;

import io.trainscope.point.Downsample;
import io.trainscope.point.Points;

/**
 * Every iteration of one run, in order: point {@code i} is iteration {@code i}. One thread appends (the run's
 * trainer); any thread may read what has been published, which is everything before {@link #size()}. Ranges are
 * {@code [from, to)}. The in-memory {@link MemoryHistory} is one implementation, the store's disk-backed one
 * another.
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
     * Iterations {@code [from, to)} in at most {@code maxPoints} real points, by {@link Downsample}'s one rule:
     * all of them when they fit.
     */
    Points downsampled(long from, long to, int maxPoints);

    /** The cost of the last published point, NaN when there is none: kept, never read back. */
    double lastCost();

    /** True when {@code [from, to)} holds more than {@code maxPoints} published points. */
    default boolean needsDownsampling(long from, long to, int maxPoints) {
        return Math.min(to, size()) - Math.max(0, from) > maxPoints;
    }
}
