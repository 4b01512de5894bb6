package io.trainscope.server.training;

import io.trainscope.server.bus.HistogramsSnapshot;
import io.trainscope.server.bus.KeptViews;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which of a run's histogram snapshots it keeps, so that a late viewer and a past run show them over time, in
 * bounded memory and disk however long the run: one per aligned bucket of {@code stride} iterations (the first
 * snapshot made in it), and whenever more than {@link #max} are kept, the stride doubles (as many times as it takes)
 * until at most half remain, each new bucket keeping its first. A run of 10⁷ iterations keeps between
 * {@code max/2} and {@code max} snapshots spread over its whole length, like TensorBoard's reservoir of 500 but
 * evenly spaced. The snapshot after the last iteration is always kept ({@link #keepLast}).
 *
 * <p>Besides each run's own bound, all the runs of a server hold at most {@link #SERVER_MAX_LAYER_SNAPSHOTS} layer
 * histograms in memory at once ({@link Held}, about 40 MB): a run that keeps one past it thins its own (doubles its
 * stride until at most half remain, two at least), so the total stays under the bound plus two snapshots per run. A run's
 * share is let go when memory lets its views go (storage holds them) or when it is deleted; runs kept in memory
 * only (no data directory) hold theirs until deleted, and later runs then keep fewer.
 *
 * <p>One writer (the run's training thread, or its verticle with no chunk in flight); {@link #kept()} from any
 * thread.
 */
final class HistogramKeeper {

    /** Layer histograms kept at most per run (snapshots × layers): about 1.2 MB of heap, and of JSON on disk. */
    static final int MAX_LAYER_SNAPSHOTS = 1024;

    /** Layer histograms all the runs of one server hold in memory at once (32 runs' worth at most each). */
    static final long SERVER_MAX_LAYER_SNAPSHOTS = 32L * MAX_LAYER_SNAPSHOTS;

    /** The layer histograms the keepers of one server hold, and their bound; any thread. */
    static final class Held {
        private final long max;
        private final AtomicLong count = new AtomicLong();

        Held(long max) {
            if (max < 1) {
                throw new IllegalArgumentException("hold at least one layer histogram, got " + max);
            }
            this.max = max;
        }

        long count() {
            return count.get();
        }

        long max() {
            return max;
        }
    }

    private final int max;
    private Held held;
    /** The layer histograms this keeper holds, charged to {@link #held}. */
    private long charged;
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

    /** From now on its snapshots count towards {@code server}'s bound, those it holds already too. */
    void chargeTo(Held server) {
        held = server;
        server.count.addAndGet(charged);
    }

    /** Memory lets its snapshots go: they no longer count towards the server's bound. */
    void release() {
        if (held != null) {
            held.count.addAndGet(-charged);
            held = null;
        }
    }

    private void charge(long layerSnapshots) {
        charged += layerSnapshots;
        if (held != null) {
            held.count.addAndGet(layerSnapshots);
        }
    }

    private static long layers(List<HistogramsSnapshot> snapshots) {
        long n = 0;
        for (HistogramsSnapshot s : snapshots) {
            n += s.layers().size();
        }
        return n;
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
        charge(snapshot.layers().size());
        boolean thinned = false;
        boolean serverFull = held != null && held.count() > held.max() && kept.size() > 2;
        if (kept.size() > max || serverFull) {
            // 2k+1 snapshots at one stride are k+1 at twice it: "half" allows that one more.
            int target = Math.min(max, kept.size()) / 2 + 1;
            List<HistogramsSnapshot> fewer;
            do {
                stride *= 2;
                fewer = firstPerBucket(kept, stride);
            } while (fewer.size() > target);
            charge(layers(fewer) - layers(kept));
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
