package io.trainscope.history;

/**
 * Fewer points that still show the shape of a cost curve: the range is cut into equal buckets and each keeps
 * its first, last, minimum-cost and maximum-cost point (the M4 idea of Jugel et al., VLDB 2014), real points
 * in iteration order. The range's first and last points are always kept; spikes are never averaged away.
 */
public final class Downsample {

    /** Points kept per bucket. */
    static final int PER_BUCKET = 4;

    private Downsample() {
    }

    /** True when {@code count} points need downsampling to fit in {@code maxPoints}. */
    public static boolean needed(long count, int maxPoints) {
        return count > maxPoints;
    }

    /** Iterations {@code [from, to)} of {@code history}, in at most {@code max(maxPoints, 4)} points. */
    public static Points of(History history, long from, long to, int maxPoints) {
        long start = Math.max(0, from);
        long end = Math.min(to, history.size());
        long count = end - start;
        if (!needed(count, maxPoints)) {
            return history.read(start, end);
        }
        int buckets = Math.max(1, maxPoints / PER_BUCKET);
        Points out = new Points(history.depth(), buckets * PER_BUCKET);
        for (int b = 0; b < buckets; b++) {
            long bucketFrom = start + count * b / buckets;
            long bucketTo = start + count * (b + 1) / buckets;
            Points bucket = history.read(bucketFrom, bucketTo);
            keepExtremes(bucket, 0, bucket.size(), out);
        }
        return out;
    }

    /** {@code points} in at most {@code max(maxPoints, 4)} of them; the same batch when it already fits. */
    public static Points of(Points points, int maxPoints) {
        int count = points.size();
        if (!needed(count, maxPoints)) {
            return points;
        }
        int buckets = Math.max(1, maxPoints / PER_BUCKET);
        Points out = new Points(points.depth(), buckets * PER_BUCKET);
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) count * b / buckets);
            int to = (int) ((long) count * (b + 1) / buckets);
            keepExtremes(points, from, to, out);
        }
        return out;
    }

    /** Adds the first, last, min-cost and max-cost points of {@code src[from, to)} to {@code out}, in order. */
    private static void keepExtremes(Points src, int from, int to, Points out) {
        if (from >= to) {
            return;
        }
        int min = from;
        int max = from;
        for (int p = from + 1; p < to; p++) {
            double c = src.cost(p);
            if (c < src.cost(min)) {
                min = p;
            }
            if (c > src.cost(max)) {
                max = p;
            }
        }
        int last = to - 1;
        int a = Math.min(min, max);
        int b = Math.max(min, max);
        out.add(src, from);
        if (a != from) {
            out.add(src, a);
        }
        if (b != a && b != from) {
            out.add(src, b);
        }
        if (last != b && last != a && last != from) {
            out.add(src, last);
        }
    }
}
