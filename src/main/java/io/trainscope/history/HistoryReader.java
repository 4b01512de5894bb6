package io.trainscope.history;

import io.trainscope.point.Downsample;
import io.trainscope.point.Points;

/**
 * What may be read of a run's history, by any thread: everything before {@link #size()}, never changed. The web
 * side of the server gets this, never the {@link History} that its run appends to. Ranges are {@code [from, to)}.
 */
public interface HistoryReader {

    /** Weight layers per point. */
    int depth();

    /** Points published so far; reads below this index are safe from any thread. */
    long size();

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
