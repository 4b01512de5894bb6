package io.trainscope.store;

import java.util.List;

/**
 * A downsampled view of iterations {@code from..to} (clipped to what is stored and durable): for every
 * aligned bucket of {@code bucketSize} iterations ({@code [k·bucketSize, (k+1)·bucketSize)}), its first, last,
 * least-cost and greatest-cost points, deduplicated, in iteration order. So the first and the last point of the
 * range are always there. {@code bucketSize} 1 means every point.
 */
public record Summary(long from, long to, long bucketSize, List<Point> points) {

    public Summary {
        points = List.copyOf(points);
    }

    static Summary empty(long from, long to) {
        return new Summary(from, to, 1, List.of());
    }
}
