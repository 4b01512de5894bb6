package io.trainscope.server.web;

import io.trainscope.server.bus.Addresses;
import io.trainscope.server.bus.DataSnapshot;
import io.trainscope.server.bus.KeptViews;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.server.bus.RunView;
import io.trainscope.server.bus.View;
import io.trainscope.server.bus.ViewDemand;
import io.trainscope.server.bus.ViewSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Who subscribed to which views of which run (docs/protocol.md, "Views"), on the HTTP verticle's event loop only.
 * The training side is told the union of what viewers want of a run ({@link ViewDemand}) only when it changes, so
 * it computes each view once per interval however many viewers want it; each snapshot is encoded once here and the
 * same bytes go to every subscriber whose socket has room (a full one misses it: the next one replaces it anyway).
 *
 * <p>A subscribe is first answered with what the run keeps ({@link KeptViews}, read on a worker: it may come from
 * disk): its histograms over time ({@code keptHistograms}), its examples ({@code data}) for a boundary, and for an
 * ended run its last boundary and network; for a live run the latest snapshot of a view already computed for
 * someone else. One such read per viewer at a time; at most {@link #MAX_WAITING} more wait their turn.
 */
final class ViewSubscriptions {

    static final int MAX_WAITING = 8;

    private final Vertx vertx;
    private final BiConsumer<Viewer, Buffer> write;
    /** Per run, per view, its subscribers. */
    private final Map<String, Map<View, Set<Viewer>>> subscribers = new HashMap<>();
    /** Per live run, the latest snapshot of each view, encoded: what a late subscriber is sent first. */
    private final Map<String, Map<View, Buffer>> latest = new HashMap<>();

    ViewSubscriptions(Vertx vertx, BiConsumer<Viewer, Buffer> write) {
        this.vertx = vertx;
        this.write = write;
    }

    /**
     * Adds {@code views} of {@code run} to what {@code viewer} is sent; views it has already are left as they are.
     * Returns null, or why the boundary cannot be drawn (a run whose inputs are not two: subscribed all the same,
     * it is sent nothing for it).
     */
    String subscribe(Viewer viewer, RunView run, Set<View> views) {
        RunSnapshot state = run.snapshot();
        Set<View> mine = viewer.views.computeIfAbsent(run.id(), id -> EnumSet.noneOf(View.class));
        Set<View> added = EnumSet.noneOf(View.class);
        for (View view : views) {
            if (mine.add(view)) {
                added.add(view);
            }
        }
        if (added.isEmpty()) {
            return null;
        }
        Map<View, Set<Viewer>> byView = subscribers.computeIfAbsent(run.id(), id -> new EnumMap<>(View.class));
        boolean changed = false;
        for (View view : added) {
            changed |= byView.computeIfAbsent(view, v -> new LinkedHashSet<>()).add(viewer) && byView.get(view).size() == 1;
        }
        if (changed && state.status().live()) {
            demand(run.id());
        }
        List<Buffer> cached = new ArrayList<>();
        Map<View, Buffer> last = latest.get(run.id());
        if (last != null && state.status().live()) {
            for (View view : added) {
                if (byView.get(view).size() > 1) {
                    Buffer buffer = last.get(view);
                    if (buffer != null) {
                        cached.add(buffer);
                    }
                }
            }
        }
        sendKept(viewer, run, added, !state.status().live(), cached);
        boolean plane = state.inputs() == 2 || state.inputs() == 0;
        return added.contains(View.BOUNDARY) && !plane ? "run " + run.id() + " has " + state.inputs()
                + " inputs: a decision boundary is drawn for runs of 2 inputs only" : null;
    }

    void unsubscribe(Viewer viewer, String runId, Set<View> views) {
        Set<View> mine = viewer.views.get(runId);
        if (mine == null) {
            return;
        }
        Map<View, Set<Viewer>> byView = subscribers.get(runId);
        boolean changed = false;
        for (View view : views) {
            if (mine.remove(view) && byView != null) {
                Set<Viewer> set = byView.get(view);
                if (set != null && set.remove(viewer) && set.isEmpty()) {
                    byView.remove(view);
                    changed = true;
                }
            }
        }
        if (mine.isEmpty()) {
            viewer.views.remove(runId);
        }
        if (byView != null && byView.isEmpty()) {
            subscribers.remove(runId);
        }
        if (changed) {
            demand(runId);
        }
    }

    void left(Viewer viewer) {
        for (String runId : new ArrayList<>(viewer.views.keySet())) {
            unsubscribe(viewer, runId, EnumSet.allOf(View.class));
        }
    }

    void deleted(String runId) {
        Map<View, Set<Viewer>> byView = subscribers.remove(runId);
        if (byView != null) {
            byView.values().forEach(set -> set.forEach(viewer -> viewer.views.remove(runId)));
        }
        latest.remove(runId);
    }

    /** An ended run has no more live snapshots: its cache goes (a late subscriber reads what it kept). */
    void onState(RunSnapshot state) {
        if (!state.status().live()) {
            latest.remove(state.id());
        }
    }

    void onSnapshot(ViewSnapshot snapshot) {
        Map<View, Set<Viewer>> byView = subscribers.get(snapshot.runId());
        Set<Viewer> viewers = byView == null ? null : byView.get(snapshot.view());
        if (viewers == null || viewers.isEmpty()) {
            return;
        }
        Buffer encoded = Messages.snapshot(snapshot);
        latest.computeIfAbsent(snapshot.runId(), id -> new EnumMap<>(View.class)).put(snapshot.view(), encoded);
        for (Viewer viewer : viewers) {
            if (!viewer.socket.isClosed() && !viewer.socket.writeQueueFull()) {
                write.accept(viewer, encoded);
            }
        }
    }

    /** How many viewers subscribe to {@code view} of {@code runId}. */
    int count(String runId, View view) {
        Map<View, Set<Viewer>> byView = subscribers.get(runId);
        Set<Viewer> set = byView == null ? null : byView.get(view);
        return set == null ? 0 : set.size();
    }

    private void demand(String runId) {
        Map<View, Set<Viewer>> byView = subscribers.get(runId);
        Set<View> wanted = byView == null || byView.isEmpty() ? Set.of() : EnumSet.copyOf(byView.keySet());
        vertx.eventBus().send(Addresses.DEMAND, new ViewDemand(runId, wanted));
    }

    /** Reads what the run keeps of {@code views} on a worker, in the viewer's turn, then writes it if still wanted. */
    private void sendKept(Viewer viewer, RunView run, Set<View> views, boolean ended, List<Buffer> cached) {
        Runnable read = () -> vertx.<List<Buffer>>executeBlocking(() -> kept(run, views, ended), false)
                .onComplete(done -> {
                    if (done.succeeded()) {
                        Set<View> still = viewer.views.getOrDefault(run.id(), Set.of());
                        if (!still.isEmpty() && !viewer.socket.isClosed()) {
                            done.result().forEach(buffer -> write.accept(viewer, buffer));
                            cached.forEach(buffer -> write.accept(viewer, buffer));
                        }
                    } else {
                        write.accept(viewer, Messages.error("the kept views of run " + run.id()
                                + " could not be read: " + done.cause().getMessage(), null, "subscribe"));
                    }
                    Runnable next = viewer.keptReads.poll();
                    viewer.keptReading = next != null;
                    if (next != null) {
                        next.run();
                    }
                });
        if (!viewer.keptReading) {
            viewer.keptReading = true;
            read.run();
        } else if (viewer.keptReads.size() < MAX_WAITING) {
            viewer.keptReads.add(read);
        } else {
            write.accept(viewer, Messages.error("too many subscribes waiting to be answered (at most " + MAX_WAITING
                    + "); subscribed, but what run " + run.id() + " kept is not sent", null, "subscribe"));
        }
    }

    private static List<Buffer> kept(RunView run, Set<View> views, boolean ended) {
        KeptViews kept = run.kept();
        List<Buffer> out = new ArrayList<>();
        if (views.contains(View.HISTOGRAMS)) {
            out.add(Messages.keptHistograms(run.id(), kept.histograms()));
        }
        if (views.contains(View.BOUNDARY)) {
            DataSnapshot data = kept.data();
            if (data != null) {
                out.add(Messages.data(data));
            }
            ViewSnapshot boundary = ended ? kept.boundary() : null;
            if (boundary != null) {
                out.add(Messages.snapshot(boundary));
            }
        }
        if (views.contains(View.NETWORK) && ended) {
            ViewSnapshot network = kept.network();
            if (network != null) {
                out.add(Messages.snapshot(network));
            }
        }
        return out;
    }
}
