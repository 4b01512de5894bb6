package io.trainscope.server;

import io.trainscope.history.History;
import io.trainscope.server.access.SecurityConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The connected viewers and what each is sent. Runs on the HTTP verticle's event loop only.
 *
 * <p>An update is encoded once and the same bytes go to every viewer that follows its run ({@link SharedText}):
 * the cost of a thousand viewers is a thousand socket writes, not a thousand encodings, and there is no timer
 * per viewer. A viewer whose write queue is full is skipped, not queued; when its socket drains it is sent
 * the range it missed as one {@code history} message ({@code purpose: catchUp}), then live updates again, so
 * it has neither a gap nor an ever-growing queue.
 */
final class ViewerHub {

    private final Vertx vertx;
    private final ServerConfig config;
    private final RunRegistry registry;
    private final ServerMetrics metrics;
    private final SecurityConfig security;
    private final HistoryRequests requests;
    private final Set<Viewer> viewers = new LinkedHashSet<>();
    /** Per run, the end (exclusive) of the last update broadcast: where the next one starts. */
    private final Map<String, Long> broadcastTo = new HashMap<>();
    private long skipped;
    private long countTimer = -1;

    static final long COUNT_INTERVAL_MS = 250;

    ViewerHub(Vertx vertx, ServerConfig config, RunRegistry registry, ServerMetrics metrics, SecurityConfig security) {
        this.vertx = vertx;
        this.config = config;
        this.registry = registry;
        this.metrics = metrics;
        this.security = security;
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
        for (Run run : registry.list()) {
            runs.add(run.snapshot());
        }
        write(socket, Messages.hello(viewers.size(), mayControl, security.privateMode(), runs, config));
        Run latest = registry.latest();
        for (Run run : registry.list()) {
            if (run.snapshot().status().live() || run == latest || after.containsKey(run.id())) {
                write(socket, Messages.state(run.snapshot()));
                follow(viewer, run, after.getOrDefault(run.id(), -1L) + 1, false);
            }
        }
        socket.drainHandler(drained -> {
            catchUp(viewer);
            requests.drained(viewer);
        });
        countChanged();
        return viewer;
    }

    void leave(Viewer viewer) {
        if (viewers.remove(viewer)) {
            requests.left(viewer);
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
     * Starts sending {@code run}'s points to {@code viewer}: its history from {@code from}, then live. An ended
     * run's history is read on a worker (a past run's log is opened from disk on first read); no live point can
     * follow it, so nothing needs it to arrive first.
     */
    void follow(Viewer viewer, Run run, long from) {
        follow(viewer, run, from, true);
    }

    /** {@code asked}: the viewer asked for it ({@code follow}), rather than being sent it on connecting. */
    private void follow(Viewer viewer, Run run, long from, boolean asked) {
        viewer.followed.add(run.id());
        viewer.missedFrom.remove(run.id());
        long to = liveEnd(run);
        if (run.snapshot().status().live() || broadcastTo.containsKey(run.id())) {
            long bytes = sendHistory(viewer, run, from, to, config.maxHistoryPoints(), "join");
            if (asked) {
                requests.charge(viewer, bytes);
            }
        } else {
            metrics.history("join");
            sendOffLoop(viewer, run, from, to, config.maxHistoryPoints(), "join", asked);
        }
    }

    void unfollow(Viewer viewer, String runId) {
        viewer.followed.remove(runId);
        viewer.missedFrom.remove(runId);
    }

    /**
     * Iterations {@code [from, to)} of {@code run} as one {@code history} message, downsampled to {@code maxPoints};
     * returns its length.
     */
    long sendHistory(Viewer viewer, Run run, long from, long to, int maxPoints, String purpose) {
        metrics.history(purpose);
        Buffer message = encodeHistory(run, from, to, maxPoints, purpose);
        write(viewer.socket, message);
        return message.length();
    }

    private static Buffer encodeHistory(Run run, long from, long to, int maxPoints, String purpose) {
        History history = run.history();
        long start = Math.max(0, from);
        long end = Math.min(to, history.size());
        return Messages.history(run.id(), start, Math.max(start, end), history.downsampled(start, end, maxPoints),
                history.needsDownsampling(start, end, maxPoints), purpose);
    }

    /**
     * A viewer's {@code history} request (a zoom), read and encoded on a worker: a range finer than a store's
     * in-memory summary comes from disk. Nothing waits on it, so it may arrive among live updates.
     */
    void sendRequested(Viewer viewer, Run run, long from, long to, int maxPoints) {
        metrics.history("request");
        sendOffLoop(viewer, run, from, to, maxPoints, "request", true);
    }

    /** Read and encoded on a worker, in the viewer's turn (see {@link HistoryRequests}). */
    private void sendOffLoop(Viewer viewer, Run run, long from, long to, int maxPoints, String purpose, boolean charged) {
        boolean queued = requests.submit(viewer, () -> {
            try {
                return encodeHistory(run, from, to, maxPoints, purpose);
            } catch (RuntimeException e) {
                return Messages.error("history of " + run.id() + " could not be read: " + e.getMessage(), null, "history");
            }
        }, charged);
        if (!queued) {
            send(viewer, Messages.error("too many history requests waiting (at most " + HistoryRequests.MAX_WAITING
                    + "); this one was not acted on", null, "history"));
        }
    }

    /** Where the next live update of {@code run} will start: what a joining viewer's history must reach. */
    long liveEnd(Run run) {
        Long to = broadcastTo.get(run.id());
        if (to != null) {
            return to;
        }
        // Not yet announced here: a live run's first update will start at 0; an ended one has no more.
        return run.snapshot().status().live() ? 0 : run.history().size();
    }

    void onState(RunSnapshot state) {
        // A new run announces itself live; a past run renamed is not new and has no live points to come.
        if (state.status().live() && !broadcastTo.containsKey(state.id())) {
            broadcastTo.put(state.id(), 0L);
            for (Viewer viewer : viewers) {
                if (viewer.autoFollow) {
                    viewer.followed.add(state.id());
                }
            }
        }
        // A viewer that is behind on this run first gets what it missed, so that a final state never
        // arrives before the points that led to it.
        for (Viewer viewer : viewers) {
            Long missed = viewer.missedFrom.remove(state.id());
            Run run = registry.find(state.id());
            if (missed != null && run != null) {
                sendHistory(viewer, run, missed, liveEnd(run), config.maxHistoryPoints(), "catchUp");
            }
        }
        // State changes are rare and small: written even to a busy socket, so none is ever lost.
        broadcast(Messages.state(state));
    }

    /** A run was deleted: no viewer follows it any more, and every viewer is told. */
    void onDeleted(String runId) {
        broadcastTo.remove(runId);
        for (Viewer viewer : viewers) {
            viewer.followed.remove(runId);
            viewer.missedFrom.remove(runId);
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
                viewer.missedFrom.put(update.runId(), update.from());
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

    /** Sends a drained viewer what it missed, one history message per run. */
    private void catchUp(Viewer viewer) {
        if (!viewers.contains(viewer)) {
            return;
        }
        for (Map.Entry<String, Long> missed : new ArrayList<>(viewer.missedFrom.entrySet())) {
            Run run = registry.find(missed.getKey());
            viewer.missedFrom.remove(missed.getKey());
            if (run != null) {
                sendHistory(viewer, run, missed.getValue(), liveEnd(run), config.maxHistoryPoints(), "catchUp");
            }
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
