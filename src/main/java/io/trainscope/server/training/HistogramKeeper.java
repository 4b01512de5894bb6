package io.trainscope.server.training;

import io.trainscope.server.bus.HistogramsSnapshot;
import io.trainscope.server.bus.KeptViews;

import java.util.ArrayList;
import java.util.List;

/**
 * Which of a run's histogram snapshots it keeps, so that a late viewer and a past run show them over time, in
 * bounded memory and disk however long the run: one per aligned bucket of {@code stride} iterations (the first
 * snapshot made in it), and whenever more than {@link #max} are kept, the stride doubles (as many times as it takes)
 * until at most half remain, each new bucket keeping its first. A run of 10⁷ iterations keeps between
 * {@code max/2} and {@code max} snapshots spread over its whole length, like TensorBoard's reservoir of 500 but
 * evenly spaced. The snapshot after the last iteration is always kept ({@link #keepLast}).
 *
 * <p>One writer (the run's training thread, or its verticle with no chunk in flight); {@link #kept()} from any
 * thread.
 */
final class HistogramKeeper {

    /** Layer histograms kept at most per run (snapshots × layers): about 1.2 MB of heap, and of JSON on disk. */
    static final int MAX_LAYER_SNAPSHOTS = 1024;

    private final int max;
    private long stride = 1;
    private final List<HistogramsSnapshot> kept = new ArrayList<>();
    private volatile KeptViews.Histograms published = KeptViews.Histograms.NONE;

    /** Keeps at most {@code max} snapshots, a power of two of at least 2. */
    HistogramKeeper(int max) {
        if (max < 2 || Integer.bitCount(max) != 1) {
            throw new IllegalArgumentException("keep a power of two of at least 2 snapshots, got " + max);
        }
        this.max = max;
    }

    /** Snapshots kept for a network of {@code depth} layers: 256 up to 4 layers, fewer for deeper ones, 16 at least. */
    static int maxFor(int depth) {
        int fit = Integer.highestOneBit(Math.max(1, MAX_LAYER_SNAPSHOTS / Math.max(1, depth)));
        return Math.max(16, Math.min(256, fit));
    }

    long stride() {
        return stride;
    }

    /** Whether a snapshot after {@code iteration} iterations would be kept: its bucket holds none yet. */
    boolean due(long iteration) {
        return kept.isEmpty() || iteration / stride > kept.get(kept.size() - 1).iteration() / stride;
    }

    /** What keeping a snapshot did. */
    enum Outcome {
        /** Not kept: one of its iteration is. */
        NOT_KEPT,
        /** Kept after the others. */
        ADDED,
        /** Kept, and older ones dropped to make room: the kept ones must be written again as a whole. */
        THINNED
    }

    /** Keeps {@code snapshot}, which is {@link #due}. */
    Outcome keep(HistogramsSnapshot snapshot) {
        kept.add(snapshot);
        boolean thinned = false;
        if (kept.size() > max) {
            List<HistogramsSnapshot> fewer;
            do {
                stride *= 2;
                fewer = firstPerBucket(kept, stride);
            // 2k+1 snapshots at one stride are k+1 at twice it: "half" allows that one more.
            } while (fewer.size() > max / 2 + 1);
            kept.clear();
            kept.addAll(fewer);
            thinned = true;
        }
        published = new KeptViews.Histograms(stride, kept);
        return thinned ? Outcome.THINNED : Outcome.ADDED;
    }

    /** Keeps the snapshot after a run's last iteration whatever its bucket, unless one of that iteration is kept. */
    Outcome keepLast(HistogramsSnapshot snapshot) {
        if (!kept.isEmpty() && kept.get(kept.size() - 1).iteration() >= snapshot.iteration()) {
            return Outcome.NOT_KEPT;
        }
        return keep(snapshot);
    }

    /** The snapshots kept, in iteration order; safe from any thread. */
    KeptViews.Histograms kept() {
        return published;
    }

    private static List<HistogramsSnapshot> firstPerBucket(List<HistogramsSnapshot> snapshots, long stride) {
        List<HistogramsSnapshot> first = new ArrayList<>();
        long bucket = -1;
        for (HistogramsSnapshot s : snapshots) {
            if (s.iteration() / stride != bucket) {
                bucket = s.iteration() / stride;
                first.add(s);
            }
        }
        return first;
    }
}
