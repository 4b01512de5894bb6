package io.trainscope.server.training;

import io.trainscope.nn.Boundary;
import io.trainscope.nn.Dataset;
import io.trainscope.nn.Histogram;
import io.trainscope.nn.Plane;
import io.trainscope.nn.Trainer;
import io.trainscope.nn.Wiring;
import io.trainscope.server.bus.BoundarySnapshot;
import io.trainscope.server.bus.DataSnapshot;
import io.trainscope.server.bus.HistogramsSnapshot;
import io.trainscope.server.bus.KeptViews;
import io.trainscope.server.bus.NetworkSnapshot;
import io.trainscope.server.bus.View;
import io.trainscope.server.bus.ViewSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run's views (docs/protocol.md, "Views"): which the web side wants, when each is due, and the snapshots
 * themselves, computed from the trainer between steps. Each view is computed at most once per interval however
 * many viewers want it, and only while some do: the interval is {@code 1/snapshotRate}, or {@link #COST_FACTOR}
 * times what the view took to compute last if that is longer, so that no view takes more than 1/40 of the
 * training thread's time. The histograms are also computed, wanted or not, when the run keeps one
 * ({@link HistogramKeeper}): its history of histograms must not depend on whether anyone watched.
 *
 * <p>Threads: {@link #want} on the training verticle's context; {@link #take}, {@link #first} and {@link #last} on
 * the thread that holds the trainer (a chunk's, or the verticle's with no chunk in flight), one at a time, handed
 * over with the trainer; {@link #kept()} from any thread.
 */
final class RunViews {

    /** A view waits at least this many times what it took to compute last. */
    static final long COST_FACTOR = 40;

    /** What one call computed: the snapshots to publish (wanted ones) and the histograms newly kept. */
    record Taken(List<ViewSnapshot> published, List<HistogramsSnapshot> kept, boolean thinned) {
        static final Taken NONE = new Taken(List.of(), List.of(), false);

        boolean isEmpty() {
            return published.isEmpty() && kept.isEmpty();
        }
    }

    private final String runId;
    private final long intervalNanos;
    /** Null unless the network has two inputs. */
    private final Plane plane;
    private final DataSnapshot data;
    private final HistogramKeeper keeper;
    private volatile int wanted;
    /** Views that became wanted since the last {@link #take}: computed at once, whatever their interval. */
    private final AtomicInteger fresh = new AtomicInteger();

    // The trainer's thread only (handed over with it).
    private Boundary boundary;
    private final long[] lastNanos = new long[View.values().length];
    private final long[] lastIteration = new long[View.values().length];
    private final long[] waitNanos = new long[View.values().length];

    // Set at the run's end; read by any thread.
    private volatile BoundarySnapshot lastBoundary;
    private volatile NetworkSnapshot lastNetwork;

    RunViews(String runId, Trainer trainer, int snapshotRate) {
        this.runId = runId;
        this.intervalNanos = 1_000_000_000L / snapshotRate;
        Dataset train = trainer.train();
        Dataset validation = trainer.validation();
        if (train.features() == 2) {
            this.plane = Plane.around(train, validation);
            this.data = new DataSnapshot(runId, plane, train.spread(DataSnapshot.MAX_EXAMPLES), train.samples(),
                    validation == null ? null : validation.spread(DataSnapshot.MAX_EXAMPLES),
                    validation == null ? 0 : validation.samples());
        } else {
            this.plane = null;
            this.data = null;
        }
        this.keeper = new HistogramKeeper(HistogramKeeper.maxFor(trainer.network().depth()));
        for (View view : View.values()) {
            lastNanos[view.ordinal()] = System.nanoTime() - intervalNanos;
            lastIteration[view.ordinal()] = -1;
            waitNanos[view.ordinal()] = intervalNanos;
        }
    }

    /** Its kept histograms count towards {@code held}, the server's bound ({@link HistogramKeeper}). */
    void chargeTo(HistogramKeeper.Held held) {
        keeper.chargeTo(held);
    }

    /** Memory lets these views go: their histograms no longer count towards the server's bound. */
    void release() {
        keeper.release();
    }

    /** The run's examples for its boundary, or null for a network that does not have two inputs. */
    DataSnapshot data() {
        return data;
    }

    /**
     * The views viewers want from now on; true when one of them was not wanted before (it is computed at the next
     * {@link #take}, due or not). The training verticle's context.
     */
    boolean want(Set<View> views) {
        int mask = 0;
        for (View view : views) {
            if (view != View.BOUNDARY || plane != null) {
                mask |= view.bit();
            }
        }
        int now = mask;
        int added = now & ~wanted;
        wanted = now;
        fresh.getAndUpdate(bits -> (bits | added) & now);
        return added != 0;
    }

    boolean wanted(View view) {
        return (wanted & view.bit()) != 0;
    }

    /**
     * Whether {@link #take} would compute something for a trainer after {@code iteration} iterations at
     * {@code now}: a view newly wanted, or one wanted (or a histogram the run keeps) whose snapshot is older than
     * the trainer and whose interval has passed. For a paused run, which trains no chunk to take them at.
     */
    boolean pending(long iteration, long now) {
        if (fresh.get() != 0) {
            return true;
        }
        for (View view : View.values()) {
            if ((wanted(view) || view == View.HISTOGRAMS && keeper.due(iteration)) && behind(view, iteration, now)) {
                return true;
            }
        }
        return false;
    }

    private boolean behind(View view, long iteration, long now) {
        int v = view.ordinal();
        return lastIteration[v] != iteration && now - lastNanos[v] >= waitNanos[v];
    }

    /** The snapshots due at the end of a chunk (or for a paused run, {@link #pending}). The trainer's thread. */
    Taken take(Trainer trainer, long now) {
        int newly = fresh.getAndSet(0);
        long iteration = trainer.iteration();
        List<ViewSnapshot> published = new ArrayList<>();
        List<HistogramsSnapshot> kept = new ArrayList<>();
        boolean thinned = false;
        for (View view : View.values()) {
            boolean wants = wanted(view);
            boolean keep = view == View.HISTOGRAMS && keeper.due(iteration) && behind(view, iteration, now);
            if (!keep && !(wants && ((newly & view.bit()) != 0 || behind(view, iteration, now)))) {
                continue;
            }
            long started = System.nanoTime();
            ViewSnapshot snapshot = compute(view, trainer, keep);
            int v = view.ordinal();
            waitNanos[v] = Math.max(intervalNanos, COST_FACTOR * (System.nanoTime() - started));
            lastNanos[v] = now;
            lastIteration[v] = iteration;
            if (keep) {
                HistogramsSnapshot histograms = (HistogramsSnapshot) snapshot;
                thinned |= keeper.keep(histograms) == HistogramKeeper.Outcome.THINNED;
                kept.add(histograms);
            }
            if (wants) {
                published.add(snapshot);
            }
        }
        return published.isEmpty() && kept.isEmpty() ? Taken.NONE : new Taken(published, kept, thinned);
    }

    /** The histograms of the run as it starts, kept: its initial weights. Before its first chunk. */
    Taken first(Trainer trainer) {
        HistogramsSnapshot histograms = (HistogramsSnapshot) compute(View.HISTOGRAMS, trainer, true);
        keeper.keep(histograms);
        return new Taken(List.of(), List.of(histograms), false);
    }

    /**
     * At the run's end, with no chunk in flight: its last histograms (kept), boundary and network, held from now on
     * for {@link #kept()}; those wanted are to be published.
     */
    Taken last(Trainer trainer) {
        long iteration = trainer.iteration();
        List<ViewSnapshot> published = new ArrayList<>();
        HistogramsSnapshot histograms = (HistogramsSnapshot) compute(View.HISTOGRAMS, trainer, true);
        HistogramKeeper.Outcome outcome = keeper.keepLast(histograms);
        NetworkSnapshot network = (NetworkSnapshot) compute(View.NETWORK, trainer, false);
        lastNetwork = network;
        BoundarySnapshot boundary = null;
        if (plane != null) {
            boundary = (BoundarySnapshot) compute(View.BOUNDARY, trainer, false);
            lastBoundary = boundary;
        }
        for (ViewSnapshot snapshot : new ViewSnapshot[] {histograms, boundary, network}) {
            if (snapshot != null && wanted(snapshot.view()) && lastIteration[snapshot.view().ordinal()] != iteration) {
                published.add(snapshot);
            }
        }
        this.boundary = null;
        return new Taken(published, outcome == HistogramKeeper.Outcome.NOT_KEPT ? List.of() : List.of(histograms),
                outcome == HistogramKeeper.Outcome.THINNED);
    }

    private ViewSnapshot compute(View view, Trainer trainer, boolean keep) {
        long iteration = trainer.iteration();
        return switch (view) {
            case HISTOGRAMS -> new HistogramsSnapshot(runId, iteration, trainer.histograms(Histogram.BINS), keep,
                    keeper.stride());
            case NETWORK -> new NetworkSnapshot(runId, iteration, Wiring.of(trainer.network()));
            case BOUNDARY -> {
                if (boundary == null) {
                    boundary = new Boundary(trainer.network(), plane, Boundary.SIDE);
                }
                yield new BoundarySnapshot(runId, iteration, plane, boundary.side(), boundary.evaluate());
            }
        };
    }

    /**
     * The boundary (null for a network that does not have two inputs) and the network of {@code copy}, a copy of the
     * run's network at {@code iteration}, computed on the caller's thread: what a checkpoint keeps of them, so that a
     * run cut short by a crash still shows them after a restart. Any thread (it touches nothing of the trainer's).
     */
    Checkpointed checkpointed(io.trainscope.nn.Network copy, long iteration) {
        BoundarySnapshot boundary = null;
        if (plane != null) {
            Boundary grid = new Boundary(copy, plane, Boundary.SIDE);
            boundary = new BoundarySnapshot(runId, iteration, plane, grid.side(), grid.evaluate());
        }
        return new Checkpointed(boundary, new NetworkSnapshot(runId, iteration, Wiring.of(copy)));
    }

    /** A checkpoint's boundary (null without two inputs) and network. */
    record Checkpointed(BoundarySnapshot boundary, NetworkSnapshot network) {
    }

    /** What the run keeps of its views, in memory: its histograms so far, and at its end its boundary and network. */
    KeptViews kept() {
        return new KeptViews() {
            @Override
            public Histograms histograms() {
                return keeper.kept();
            }

            @Override
            public BoundarySnapshot boundary() {
                return lastBoundary;
            }

            @Override
            public NetworkSnapshot network() {
                return lastNetwork;
            }

            @Override
            public DataSnapshot data() {
                return data;
            }
        };
    }
}
