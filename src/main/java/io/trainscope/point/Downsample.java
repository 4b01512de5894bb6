package io.trainscope.point;

/**
 * The one downsampling rule, for runs in memory and on disk, live updates and histories alike: fewer points that
 * still show the shape of a cost curve. The range is cut into aligned buckets of a power-of-two size
 * ({@code [k·2^s, (k+1)·2^s)}, the smallest size giving at most {@code maxBuckets} of them), and each bucket keeps
 * its first, last, least-cost and greatest-cost point (the M4 idea of Jugel et al., VLDB 2014, on aligned
 * buckets so that coarser levels merge from finer ones: see {@link Buckets}). Real points, in iteration order;
 * the range's first and last point are always kept; spikes are never averaged away. A NaN cost loses to any
 * number, so a bucket's least and greatest points are real values where it has any. A range of at most
 * {@code maxPoints} points is not downsampled at all.
 */
public final class Downsample {

    /** Points kept per bucket. */
    public static final int PER_BUCKET = 4;

    private Downsample() {
    }

    /** Buckets for at most {@code maxPoints} points (at least one bucket). */
    public static int buckets(int maxPoints) {
        return Math.max(1, maxPoints / PER_BUCKET);
    }

    /** The bucket size, as {@code 2^shift}, that covers {@code from..to} in at most {@code maxBuckets} buckets. */
    public static int shift(long from, long to, int maxBuckets) {
        if (maxBuckets < 1) {
            throw new IllegalArgumentException("maxBuckets must be at least 1, got " + maxBuckets);
        }
        int shift = 0;
        while ((to >> shift) - (from >> shift) + 1 > maxBuckets) {
            shift++;
        }
        return shift;
    }

    /** {@code points} in at most {@code maxPoints} of them: the same batch when it fits. */
    public static Points of(Points points, int maxPoints) {
        if (points.size() <= maxPoints) {
            return points;
        }
        long from = points.firstIteration();
        long to = points.lastIteration();
        Buckets buckets = new Buckets(points.layout(), buckets(maxPoints));
        buckets.add(points, 0, points.size(), shift(from, to, buckets(maxPoints)));
        return buckets.points();
    }
}
