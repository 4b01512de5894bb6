package io.trainscope.server.web;

import io.trainscope.history.HistoryReader;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.access.SecurityConfig;
import io.trainscope.server.bus.MetricsUpdate;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.server.bus.RunView;
import io.trainscope.server.bus.RunsView;
import io.trainscope.server.bus.View;
import io.trainscope.server.bus.ViewSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The connected viewers and what each is sent. Runs on the HTTP verticle's event loop only.
 *
 * <p>An update is encoded once and the same bytes go to every viewer that follows its run ({@link SharedText}):
 * the cost of a thousand viewers is a thousand socket writes, not a thousand encodings, and there is no timer
 * per viewer. A viewer whose write queue is full is skipped, not queued; when its socket drains it is sent
 * the range it missed as one {@code history} message ({@code purpose: catchUp}), then live updates again, so
 * it has neither a gap nor an ever-growing queue.
 *
 * <p>No history is read here: a history can come from disk, so every one (a joining viewer's, a catch-up, a
 * zoom) is read and encoded on a worker, in the viewer's turn ({@link HistoryRequests}). Until a viewer's join
 * or catch-up of a run has been sent, it is {@link Viewer#behind behind} on that run: the run's live updates
 * skip it and its states wait ({@link Viewer.CatchUp}), then a read of whatever came meanwhile follows, until
 * it has reached the live updates. So its points arrive in order with no gap, and a final state never arrives
 * before the points that led to it.
 */
final class ViewerHub {

    private final Vertx vertx;
    private final ServerConfig config;
    private final RunsView registry;
    private final ServerMetrics metrics;
    private final SecurityConfig security;
    private final HistoryRequests requests;
    private final ViewSubscriptions subscriptions;
    private final Set<Viewer> viewers = new LinkedHashSet<>();
    /** Per run, the end (exclusive) of the last update broadcast: where the next one starts. */
    private final Map<String, Long> broadcastTo = new HashMap<>();
    private long skipped;
    private long countTimer = -1;

    static final long COUNT_INTERVAL_MS = 250;

    ViewerHub(Vertx vertx, ServerConfig config, RunsView registry, ServerMetrics metrics, SecurityConfig security) {
        this.vertx = vertx;
        this.config = config;
        this.registry = registry;
        this.metrics = metrics;
        this.security = security;
        this.subscriptions = new ViewSubscriptions(vertx, this::send);
        this.requests = new HistoryRequests(vertx, new HistoryRequests.Sink() {
            @Override
            public boolean connected(Viewer viewer) {
                return viewers.contains(viewer) && !viewer.socket.isClosed();
            }

            @Override
            public boolean full(Viewer viewer) {
                return viewer.socket.writeQueueFull();
            }

            @Override
            public void write(Viewer viewer, Buffer message) {
                ViewerHub.this.write(viewer.socket, message);
            }
        }, security.limits().historyBytesPerSecond(), security.limits().totalHistoryBytesPerSecond());
        // Pings keep a viewer's connection within the idle timeout while no run sends it anything; a viewer whose
        // socket is full is not pinged, so one that stopped reading is closed as idle.
        vertx.setPeriodic(Math.max(1000, security.limits().idleTimeoutMillis() / 3), id -> ping());
    }

    int count() {
        return viewers.size();
    }

    /** Updates not written to a full socket, since start (issue 5's metrics will report it). */
    long skipped() {
        return skipped;
    }

    /**
     * Greets a new viewer: {@code hello}, the state of each live run and of the latest, and their history
     * before any live point. {@code after} maps run ids to the last iteration a reconnecting viewer holds.
     */
    Viewer join(ServerWebSocket socket, boolean mayControl, Map<String, Long> after) {
        Viewer viewer = new Viewer(socket, mayControl, requests.lane());
        viewers.add(viewer);
        List<RunSnapshot> runs = new ArrayList<>();
        for (RunView run : registry.list()) {
            runs.add(run.snapshot());
        }
        write(socket, Messages.hello(viewers.size(), mayControl, security.privateMode(), runs, config));
        RunView latest = registry.latest();
        for (RunView run : registry.list()) {
            if (run.snapshot().status().live() || run == latest || after.containsKey(run.id())) {
                write(socket, Messages.state(run.snapshot()));
                follow(viewer, run, after.getOrDefault(run.id(), -1L) + 1, false);
            }
        }
        socket.drainHandler(drained -> {
            requests.drained(viewer);
            catchUp(viewer);
        });
        countChanged();
        return viewer;
    }

    void leave(Viewer viewer) {
        if (viewers.remove(viewer)) {
            requests.left(viewer);
            subscriptions.left(viewer);
            countChanged();
        }
    }

    /** Milliseconds before {@code viewer} may ask for more history (its budget, docs/security.md): 0 when now. */
    long historyWait(Viewer viewer) {
        return requests.waitMillis(viewer);
    }

    long historyBytesPerSecond() {
        return security.limits().historyBytesPerSecond();
    }

    private void ping() {
        for (Viewer viewer : viewers) {
            if (!viewer.socket.isClosed() && !viewer.socket.writeQueueFull()) {
                viewer.socket.writePing(Buffer.buffer());
            }
        }
    }

    /**
     * Tells everyone the new viewer count, at most every {@link #COUNT_INTERVAL_MS}: a thousand viewers
     * arriving at once would otherwise cost a million messages.
     */
    private void countChanged() {
        if (countTimer >= 0) {
            return;
        }
        countTimer = vertx.setTimer(COUNT_INTERVAL_MS, id -> {
            countTimer = -1;
            broadcast(Messages.viewers(viewers.size()));
        });
    }

    /**
     * Starts sending {@code run}'s points to {@code viewer}: its history from {@code from}, then live. Refused,
     * changing nothing, when the viewer already has {@link HistoryRequests#MAX_WAITING} requests waiting.
     */
    void follow(Viewer viewer, RunView run, long from) {
        if (!follow(viewer, run, from, true)) {
            send(viewer, tooManyWaiting());
        }
    }

    /**
     * {@code asked}: the viewer asked for it ({@code follow}: charged to its budgets, and refused when too many of
     * its requests wait), rather than being sent it on connecting. A follow of a run it is already behind on starts
     * again from {@code from}; the states held for it still wait for the points.
     */
    private boolean follow(Viewer viewer, RunView run, long from, boolean asked) {
        Viewer.CatchUp join = new Viewer.CatchUp(Math.max(0, from), "join", asked);
        long to = liveEnd(run);
        join.reading = to;
        // Behind before the read is queued: a quick read can be delivered before submit returns.
        Viewer.CatchUp before = viewer.behind.put(run.id(), join);
        if (before != null) {
            join.states.addAll(before.states);
        }
        boolean followed = viewer.followed.add(run.id());
        Callable<Buffer> read = read(run, join.from, to, "join");
        Consumer<Buffer> deliver = answer -> delivered(viewer, run.id(), join, to, answer);
        if (!asked) {
            requests.greet(viewer, read, deliver);
        } else if (!requests.submit(viewer, read, true, deliver)) {
            if (before != null) {
                viewer.behind.put(run.id(), before);
            } else {
                viewer.behind.remove(run.id());
            }
            if (followed) {
                viewer.followed.remove(run.id());
            }
            return false;
        }
        metrics.history("join");
        return true;
    }

    void unfollow(Viewer viewer, String runId) {
        viewer.followed.remove(runId);
        Viewer.CatchUp behind = viewer.behind.remove(runId);
        if (behind != null) {
            // States go to every viewer, following or not.
            behind.states.forEach(state -> write(viewer.socket, state));
        }
    }

    /** Reads iterations {@code [from, to)} of {@code run} as one {@code history} message, on a worker. */
    private Callable<Buffer> read(RunView run, long from, long to, String purpose) {
        int maxPoints = config.maxHistoryPoints();
        return () -> encodeHistory(run, from, to, maxPoints, purpose);
    }

    private static Buffer encodeHistory(RunView run, long from, long to, int maxPoints, String purpose) {
        try {
            HistoryReader history = run.history();
            long start = Math.max(0, from);
            long end = Math.min(to, history.size());
            return Messages.history(run.id(), start, Math.max(start, end), history.downsampled(start, end, maxPoints),
                    history.needsDownsampling(start, end, maxPoints), purpose);
        } catch (RuntimeException e) {
            return Messages.error("history of " + run.id() + " could not be read: " + e.getMessage(), null, "history");
        }
    }

    /**
     * A viewer's {@code history} request (a zoom). Nothing waits on it, so it may arrive among live updates.
     * Refused when too many of the viewer's requests are waiting already.
     */
    void sendRequested(Viewer viewer, RunView run, long from, long to, int maxPoints) {
        if (requests.submit(viewer, () -> encodeHistory(run, from, to, maxPoints, "request"), true)) {
            metrics.history("request");
        } else {
            send(viewer, tooManyWaiting());
        }
    }

    private static Buffer tooManyWaiting() {
        return Messages.error("too many history requests waiting (at most " + HistoryRequests.MAX_WAITING
                + "); this one was not acted on", null, "history");
    }

    /**
     * A join or catch-up's history of {@code [.., to)} can go out: unless the viewer has since unfollowed the run,
     * followed it again or seen it deleted, it is written and the viewer goes on from {@code to}.
     */
    private void delivered(Viewer viewer, String runId, Viewer.CatchUp catchUp, long to, Buffer answer) {
        if (viewer.behind.get(runId) != catchUp) {
            return;
        }
        write(viewer.socket, answer);
        catchUp.reading = -1;
        catchUp.from = to;
        catchUp.purpose = "catchUp";
        catchUp.charged = false;
        goOn(viewer, runId, catchUp);
    }

    /**
     * A viewer behind on a run goes on: if the run's live updates are further on, it is sent the points between
     * (once its socket has room: a read waits for it); else it is caught up, and the states held for it follow.
     */
    private void goOn(Viewer viewer, String runId, Viewer.CatchUp catchUp) {
        if (catchUp.reading >= 0) {
            return;
        }
        RunView run = registry.find(runId);
        long to = run == null ? catchUp.from : liveEnd(run);
        if (catchUp.from < to) {
            if (!viewer.socket.isClosed() && !viewer.socket.writeQueueFull()) {
                catchUp.reading = to;
                metrics.history("catchUp");
                requests.catchUp(viewer, read(run, catchUp.from, to, "catchUp"),
                        answer -> delivered(viewer, runId, catchUp, to, answer));
            }
            return;
        }
        viewer.behind.remove(runId);
        catchUp.states.forEach(state -> write(viewer.socket, state));
    }

    /** Where the next live update of {@code run} will start: what a joining viewer's history must reach. */
    long liveEnd(RunView run) {
        Long to = broadcastTo.get(run.id());
        if (to != null) {
            return to;
        }
        // Not yet announced here: a live run's first update will start at 0; an ended one has no more.
        return run.snapshot().status().live() ? 0 : run.history().size();
    }

    /** A viewer's {@code subscribe}: null, or why part of it cannot be served. */
    String subscribe(Viewer viewer, RunView run, Set<View> views) {
        return subscriptions.subscribe(viewer, run, views);
    }

    void unsubscribe(Viewer viewer, String runId, Set<View> views) {
        subscriptions.unsubscribe(viewer, runId, views);
    }

    void onSnapshot(ViewSnapshot snapshot) {
        subscriptions.onSnapshot(snapshot);
    }

    void onState(RunSnapshot state) {
        subscriptions.onState(state);
        // A new run announces itself live; a past run renamed is not new and has no live points to come.
        if (state.status().live() && !broadcastTo.containsKey(state.id())) {
            broadcastTo.put(state.id(), 0L);
            for (Viewer viewer : viewers) {
                if (viewer.autoFollow) {
                    viewer.followed.add(state.id());
                }
            }
        }
        // State changes are rare and small: written even to a busy socket, so none is lost; but a viewer behind
        // on this run first gets what it missed, so that a final state never arrives before the points that led
        // to it.
        Buffer message = Messages.state(state);
        for (Viewer viewer : viewers) {
            Viewer.CatchUp behind = viewer.behind.get(state.id());
            if (behind == null) {
                write(viewer.socket, message);
            } else {
                behind.hold(message);
                goOn(viewer, state.id(), behind);
            }
        }
    }

    /** A run was deleted: no viewer follows it any more, and every viewer is told. */
    void onDeleted(String runId) {
        broadcastTo.remove(runId);
        subscriptions.deleted(runId);
        for (Viewer viewer : viewers) {
            viewer.followed.remove(runId);
            viewer.behind.remove(runId);
        }
        broadcast(Messages.deleted(runId));
    }

    void onMetrics(MetricsUpdate update) {
        broadcastTo.put(update.runId(), update.to());
        Buffer encoded = null;
        for (Viewer viewer : viewers) {
            // A socket closing (its close handler not yet run) throws on writeQueueFull.
            if (!viewer.follows(update.runId()) || viewer.behind(update.runId()) || viewer.socket.isClosed()) {
                continue;
            }
            if (viewer.socket.writeQueueFull()) {
                viewer.behind.put(update.runId(), new Viewer.CatchUp(update.from(), "catchUp", false));
                skipped++;
                metrics.dropped();
                continue;
            }
            if (encoded == null) {
                encoded = Messages.metrics(update, System.currentTimeMillis());
            }
            write(viewer.socket, encoded);
        }
    }

    /** A drained viewer goes on catching up on each run it is behind on. */
    private void catchUp(Viewer viewer) {
        if (!viewers.contains(viewer)) {
            return;
        }
        for (Map.Entry<String, Viewer.CatchUp> behind : new ArrayList<>(viewer.behind.entrySet())) {
            goOn(viewer, behind.getKey(), behind.getValue());
        }
    }

    void send(Viewer viewer, Buffer message) {
        write(viewer.socket, message);
    }

    private void broadcast(Buffer message) {
        for (Viewer viewer : viewers) {
            write(viewer.socket, message);
        }
    }

    /** Every message to a viewer goes out here, counted for {@code /metrics}. */
    private void write(ServerWebSocket socket, Buffer message) {
        metrics.sent();
        SharedText.write(socket, message);
    }
}
