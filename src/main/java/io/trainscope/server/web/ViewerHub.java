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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The connected viewers and what each is sent. Runs on the HTTP verticle's event loop only.
 *
 * <p>An update is encoded once and the same bytes go to every viewer that follows its run ({@link SharedFrames}):
 * the cost of a thousand viewers is a thousand socket writes, not a thousand encodings, and there is no timer
 * per viewer. A viewer whose write queue is full is skipped, not queued; when its socket drains it is sent
 * the range it missed as one {@code history} message ({@code purpose: catchUp}), then live updates again, so
 * it has neither a gap nor an ever-growing queue.
 *
 * <p>No history is read here: a history can come from disk, so every one (a joining viewer's, a catch-up, a
 * zoom) is read and encoded on a worker, in the viewer's turn ({@link HistoryRequests}). Until a viewer's join
 * or catch-up of a run has been sent, it is {@link Viewer#behind behind} on that run: the run's live updates
 * skip it and its states wait ({@link Viewer.CatchUp}), then a read of whatever came meanwhile follows, until
 * it has reached the live updates; a viewer behind by less than the {@link RecentUpdates recent updates} reach
 * (about a minute) is brought up to date from them on the event loop, with no read. So its points arrive in order
 * with no gap, and a final state never arrives before the points that led to it.
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
    /** Per live run, its last minute of updates as sent, for viewers behind by less than that. */
    private final Map<String, RecentUpdates> recent = new HashMap<>();
    /** When each run's updates go out: merged, past the viewers the event loop can write each one to. */
    private final UpdateMerging merging;
    private long skipped;
    private long countTimer = -1;

    static final long COUNT_INTERVAL_MS = 250;
    /** How often sockets are looked at for a stall: a viewer is closed within this after its limit. */
    static final long STALL_CHECK_MS = 500;
    /** How long a history read for one viewer is shared with the viewers that ask for the same start after it. */
    static final long SHARED_NANOS = 1_000_000_000L;
    /** Shared histories held at most (each for a second): a few per run and encoding. */
    static final int MAX_SHARED = 64;
    /** Shared reads under way at once, beside {@link HistoryRequests#MAX_READS} of viewers' own. */
    static final int MAX_IN_FLIGHT = 2;

    /**
     * A catch-up carries the points the viewer would have had live, about: at most this many pushes' worth
     * ({@code maxLivePoints} each: 512 points by default, six seconds of live updates), never more than a history.
     * At a join's full 4,000 points a few seconds' catch-up was as big as the join itself (about 100 KB), and 10,000
     * viewers each needing several of them while the run moved on never reached the live updates.
     */
    static final int CATCH_UP_PUSHES = 128;

    /** A history from {@code from} to {@code to} in one encoding, read and encoded at {@code madeAt} (nanoTime). */
    private record SharedRead(long to, long madeAt, Buffer message) {
    }

    /**
     * Per run, encoding, purpose and start: written on workers, read on workers and on the event loop, swept on the
     * event loop.
     */
    private final Map<String, SharedRead> shared = new ConcurrentHashMap<>();
    /**
     * Shared reads under way, by key, with the viewers waiting for each (the event loop only); at most
     * {@link #MAX_IN_FLIGHT} at once, past which a viewer's shared read waits its turn in {@link HistoryRequests}.
     */
    private final Map<String, List<Consumer<SharedRead>>> inFlight = new HashMap<>();

    ViewerHub(Vertx vertx, ServerConfig config, RunsView registry, ServerMetrics metrics, SecurityConfig security) {
        this.vertx = vertx;
        this.config = config;
        this.registry = registry;
        this.metrics = metrics;
        this.security = security;
        this.subscriptions = new ViewSubscriptions(vertx, this::send);
        this.merging = new UpdateMerging(config.pushRate());
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
                ViewerHub.this.write(viewer, message);
            }
        }, security.limits().historyBytesPerSecond(), security.limits().totalHistoryBytesPerSecond());
        // Pings keep a viewer's connection within the idle timeout while no run sends it anything; a viewer whose
        // socket is full is not pinged, so one that stopped reading is closed as idle.
        vertx.setPeriodic(Math.max(1000, security.limits().idleTimeoutMillis() / 3), id -> ping());
        vertx.setPeriodic(SHARED_NANOS / 1_000_000, id -> forgetOldShared());
        vertx.setPeriodic(STALL_CHECK_MS, id -> closeStalled());
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
    Viewer join(ServerWebSocket socket, boolean mayControl, Map<String, Long> after, Encoding encoding) {
        Viewer viewer = new Viewer(socket, mayControl, encoding, requests.lane());
        viewers.add(viewer);
        List<RunSnapshot> runs = new ArrayList<>();
        for (RunView run : registry.list()) {
            runs.add(run.snapshot());
        }
        write(viewer, Messages.hello(viewers.size(), mayControl, security.privateMode(), encoding, runs, config));
        RunView latest = registry.latest();
        for (RunView run : registry.list()) {
            if (run.snapshot().status().live() || run == latest || after.containsKey(run.id())) {
                write(viewer, Messages.state(run.snapshot()));
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

    /**
     * Closes the viewers whose socket has stayed full for the stall timeout (docs/security.md): they have read
     * nothing for that long, and what the server would send them is skipped meanwhile (coalesced into one catch-up
     * when they read again). The close frame waits behind what they have not read; Vert.x closes the connection
     * itself if they never answer it.
     */
    private void closeStalled() {
        long now = System.nanoTime();
        long limit = security.limits().stallTimeoutMillis() * 1_000_000L;
        for (Viewer viewer : List.copyOf(viewers)) {
            if (viewer.socket.isClosed() || !viewer.socket.writeQueueFull()) {
                viewer.fullSince = -1;
            } else if (viewer.fullSince < 0) {
                viewer.fullSince = now;
            } else if (now - viewer.fullSince >= limit) {
                viewer.fullSince = -1;
                metrics.refused("stalled");
                viewer.socket.close((short) 1008, "stopped reading: its socket was full for "
                        + security.limits().stallTimeoutMillis() / 1000.0 + " s");
            }
        }
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
        if (!asked) {
            // Its join: shared with the viewers joining the run from the same iteration within a second.
            metrics.history("join");
            sharedCatchUp(viewer, run, join, to, true);
            return true;
        }
        Consumer<Buffer> deliver = answer -> delivered(viewer, run.id(), join, to, answer);
        if (!requests.submit(viewer, read(viewer, run, join.from, to, "join"), true, deliver)) {
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
            behind.states.forEach(state -> write(viewer, state));
        }
    }

    /**
     * Sends {@code viewer} the points of {@code run} it is behind on, from {@code behind.from} to {@code to}, as one
     * history message shared with every viewer behind from the same iteration: viewers joining a run within
     * {@link #SHARED_NANOS} of each other are sent the same bytes (a thousand viewers joining at once cost one read
     * and one encoding, not a thousand), and so are their catch-ups after it, since a shared answer ends where the
     * live updates were when it was read, the same iteration for all of them. Once read, an answer is written at
     * once on the event loop to the viewers that come for it; while it is read, the viewers that come wait for it and
     * take it on the event loop when it is done (10,000 viewers joining in a minute each waited their turn for a
     * worker's round trip, two at a time: the last join came 38 s after its handshake). Uncharged: a join on
     * connecting ({@code greeting}) or a catch-up, never a viewer's own request.
     */
    private void sharedCatchUp(Viewer viewer, RunView run, Viewer.CatchUp behind, long to, boolean greeting) {
        String key = sharedKey(run.id(), viewer.encoding, behind.purpose, behind.from);
        SharedRead ready = usable(key, behind.from, greeting, System.nanoTime());
        if (ready != null && !viewer.socket.writeQueueFull()) {
            delivered(viewer, run.id(), behind, ready.to(), ready.message());
            return;
        }
        Consumer<SharedRead> take = read -> takeShared(viewer, run.id(), behind, read, greeting);
        List<Consumer<SharedRead>> waiting = ready == null ? inFlight.get(key) : null;
        if (waiting != null) {
            waiting.add(take);
            return;
        }
        int maxPoints = greeting ? config.maxHistoryPoints() : catchUpPoints();
        Callable<SharedRead> read = sharedRead(key, run, behind.from, to, behind.purpose, viewer.encoding, maxPoints,
                greeting);
        if (ready == null && inFlight.size() < MAX_IN_FLIGHT) {
            // The first viewer behind from here: its read is shared with every viewer that comes for the same
            // answer before it is done, each taking it on the event loop (not one worker round trip each).
            waiting = new ArrayList<>();
            waiting.add(take);
            inFlight.put(key, waiting);
            vertx.executeBlocking(read, false).onComplete(done -> {
                SharedRead answer = done.succeeded() ? done.result()
                        : new SharedRead(to, System.nanoTime(), readFailed(run, done.cause()));
                inFlight.remove(key).forEach(waiter -> waiter.accept(answer));
            });
            return;
        }
        queueShared(viewer, run.id(), behind, read, greeting);
    }

    /**
     * A shared answer for a viewer that waited for it: written now, or, when its socket is full, queued with its
     * other requests (written once the socket drains). Nothing for a viewer that has left.
     */
    private void takeShared(Viewer viewer, String runId, Viewer.CatchUp behind, SharedRead read, boolean greeting) {
        if (!viewers.contains(viewer) || viewer.socket.isClosed()) {
            return;
        }
        if (!viewer.socket.writeQueueFull()) {
            delivered(viewer, runId, behind, read.to(), read.message());
        } else {
            queueShared(viewer, runId, behind, () -> read, greeting);
        }
    }

    /** The shared read in the viewer's turn with its other requests ({@link HistoryRequests}). */
    private void queueShared(Viewer viewer, String runId, Viewer.CatchUp behind, Callable<SharedRead> read,
                             boolean greeting) {
        AtomicLong sent = new AtomicLong();
        Callable<Buffer> message = () -> {
            SharedRead answer = read.call();
            sent.set(answer.to());
            return answer.message();
        };
        Consumer<Buffer> deliver = answer -> delivered(viewer, runId, behind, sent.get(), answer);
        if (greeting) {
            requests.greet(viewer, message, deliver);
        } else {
            requests.catchUp(viewer, message, deliver);
        }
    }

    /** The most points a catch-up carries. */
    private int catchUpPoints() {
        return (int) Math.min(config.maxHistoryPoints(), (long) config.maxLivePoints() * CATCH_UP_PUSHES);
    }

    private static String sharedKey(String runId, Encoding encoding, String purpose, long from) {
        return runId + '/' + encoding.wire() + '/' + purpose + '/' + from;
    }

    /**
     * The shared answer for {@code key} if it is fresh and takes the viewer on: a catch-up's must end past
     * {@code from} (a join read while the run had no point yet ends where it starts, and would be sent again and
     * again), a join's may be any.
     */
    private SharedRead usable(String key, long from, boolean greeting, long now) {
        SharedRead read = shared.get(key);
        return read != null && now - read.madeAt() < SHARED_NANOS && (greeting || read.to() > from) ? read : null;
    }

    /** On a worker: the shared answer for {@code key} if one is usable, else a read of {@code [from, to)}, kept. */
    private Callable<SharedRead> sharedRead(String key, RunView run, long from, long to, String purpose,
                                            Encoding encoding, int maxPoints, boolean greeting) {
        return () -> {
            long now = System.nanoTime();
            SharedRead ready = usable(key, from, greeting, now);
            if (ready != null) {
                return ready;
            }
            SharedRead read;
            try {
                read = new SharedRead(to, now, historyMessage(run, from, to, maxPoints, purpose, encoding));
            } catch (RuntimeException e) {
                return new SharedRead(to, now, readFailed(run, e));
            }
            if (shared.size() < MAX_SHARED || shared.containsKey(key)) {
                shared.put(key, read);
            }
            return read;
        };
    }

    /** Drops the shared histories too old to be shared again. */
    private void forgetOldShared() {
        long now = System.nanoTime();
        shared.values().removeIf(read -> now - read.madeAt() >= SHARED_NANOS);
    }

    /** Reads iterations {@code [from, to)} of {@code run} as one {@code history} message, on a worker. */
    private Callable<Buffer> read(Viewer viewer, RunView run, long from, long to, String purpose) {
        return read(viewer, run, from, to, purpose, config.maxHistoryPoints());
    }

    private Callable<Buffer> read(Viewer viewer, RunView run, long from, long to, String purpose, int maxPoints) {
        Encoding encoding = viewer.encoding;
        return () -> encodeHistory(run, from, to, maxPoints, purpose, encoding);
    }

    private Buffer encodeHistory(RunView run, long from, long to, int maxPoints, String purpose,
                                 Encoding encoding) {
        try {
            return historyMessage(run, from, to, maxPoints, purpose, encoding);
        } catch (RuntimeException e) {
            return readFailed(run, e);
        }
    }

    /** Every history read for viewers goes through here, counted once however many viewers share it. */
    private Buffer historyMessage(RunView run, long from, long to, int maxPoints, String purpose, Encoding encoding) {
        metrics.historyRead();
        HistoryReader history = run.history();
        long start = Math.max(0, from);
        long end = Math.min(to, history.size());
        return Messages.history(run.id(), start, Math.max(start, end), history.downsampled(start, end, maxPoints),
                history.needsDownsampling(start, end, maxPoints), purpose, encoding);
    }

    private static Buffer readFailed(RunView run, Throwable e) {
        return Messages.error("history of " + run.id() + " could not be read: " + e.getMessage(), null, "history");
    }

    /**
     * A viewer's {@code history} request (a zoom). Nothing waits on it, so it may arrive among live updates.
     * Refused when too many of the viewer's requests are waiting already.
     */
    void sendRequested(Viewer viewer, RunView run, long from, long to, int maxPoints) {
        if (requests.submit(viewer, read(viewer, run, from, to, "request", maxPoints), true)) {
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
     * followed it again or seen it deleted, it is written and the viewer goes on from {@code to}. What came while a
     * join was read is sent as part of the join (purpose {@code join} again), so that {@code catchUp} still says a
     * viewer missed updates because it did not read them.
     */
    private void delivered(Viewer viewer, String runId, Viewer.CatchUp catchUp, long to, Buffer answer) {
        if (viewer.behind.get(runId) != catchUp) {
            return;
        }
        write(viewer, answer);
        catchUp.reading = -1;
        catchUp.from = to;
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
                RecentUpdates kept = recent.get(runId);
                List<Buffer> missed = kept == null || kept.to() != to ? null
                        : kept.since(runId, catchUp.from, catchUp.purpose, viewer.encoding, catchUpPoints());
                if (missed != null) {
                    // Up to a minute behind: the live updates it missed (again, or their points in one message),
                    // and it is caught up.
                    missed.forEach(update -> write(viewer, update));
                    metrics.history("recent");
                    caughtUp(viewer, runId, catchUp);
                    return;
                }
                catchUp.reading = to;
                metrics.history(catchUp.purpose);
                sharedCatchUp(viewer, run, catchUp, to, false);
            }
            return;
        }
        caughtUp(viewer, runId, catchUp);
    }

    /** The viewer has reached the run's live updates: they no longer skip it, and the states held for it follow. */
    private void caughtUp(Viewer viewer, String runId, Viewer.CatchUp catchUp) {
        viewer.behind.remove(runId);
        catchUp.states.forEach(state -> write(viewer, state));
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
        flushMerging(state.id());
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
        if (!state.status().live()) {
            // Ended: no update will follow, and a viewer behind on it reads what it missed.
            recent.remove(state.id());
        }
        Buffer message = Messages.state(state);
        for (Viewer viewer : viewers) {
            Viewer.CatchUp behind = viewer.behind.get(state.id());
            if (behind == null) {
                write(viewer, message);
            } else {
                behind.hold(message);
                goOn(viewer, state.id(), behind);
            }
        }
    }

    /** A run was deleted: no viewer follows it any more, and every viewer is told. */
    void onDeleted(String runId) {
        merging.forget(runId);
        broadcastTo.remove(runId);
        subscriptions.deleted(runId);
        recent.remove(runId);
        shared.keySet().removeIf(key -> key.startsWith(runId + '/'));
        for (Viewer viewer : viewers) {
            viewer.followed.remove(runId);
            viewer.behind.remove(runId);
        }
        broadcast(Messages.deleted(runId));
    }

    void onMetrics(MetricsUpdate update) {
        long now = System.nanoTime();
        boolean held = merging.holds(update.runId());
        List<MetricsUpdate> due = merging.offer(update, now, viewers.size());
        due.forEach(this::fanOut);
        if (due.isEmpty() && !held) {
            // Sent when its time comes even if no update follows (a step of a paused run).
            String runId = update.runId();
            long in = merging.dueIn(runId, now, viewers.size());
            vertx.setTimer(Math.max(1, in / 1_000_000), id -> flushMerging(runId));
        }
    }

    /** Sends what waits to be merged for {@code runId} now: before its state, which must follow its points. */
    private void flushMerging(String runId) {
        MetricsUpdate held = merging.flush(runId, System.nanoTime());
        if (held != null) {
            fanOut(held);
        }
    }

    private void fanOut(MetricsUpdate update) {
        broadcastTo.put(update.runId(), update.to());
        RecentUpdates kept = recent.computeIfAbsent(update.runId(), id -> new RecentUpdates());
        kept.add(update, System.currentTimeMillis());
        for (Viewer viewer : viewers) {
            // A socket closing (its close handler not yet run) throws on writeQueueFull.
            if (!viewer.follows(update.runId()) || viewer.socket.isClosed()) {
                continue;
            }
            Viewer.CatchUp behind = viewer.behind.get(update.runId());
            if (behind != null) {
                if (behind.purpose.equals("catchUp")) {
                    // Skipped for a full socket, as every update is until it reads again.
                    skipped++;
                    metrics.dropped();
                }
                continue;
            }
            if (viewer.socket.writeQueueFull()) {
                viewer.behind.put(update.runId(), new Viewer.CatchUp(update.from(), "catchUp", false));
                skipped++;
                metrics.dropped();
                continue;
            }
            write(viewer, kept.last(viewer.encoding));
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
        write(viewer, message);
    }

    private void broadcast(Buffer message) {
        for (Viewer viewer : viewers) {
            write(viewer, message);
        }
    }

    /** Every message to a viewer goes out here, counted for {@code /metrics}. */
    private void write(Viewer viewer, Buffer message) {
        metrics.sent();
        SharedFrames.write(viewer.socket, message, viewer.encoding == Encoding.BINARY);
    }
}
