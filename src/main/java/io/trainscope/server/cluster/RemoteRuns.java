package io.trainscope.server.cluster;

import io.trainscope.point.Points;
import io.trainscope.run.RunStatus;
import io.trainscope.server.bus.Addresses;
import io.trainscope.server.bus.MetricsUpdate;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.server.bus.RunView;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard side of a node: the runs other nodes train, kept here so that this node's viewers are served from
 * here (a point crosses once to each dashboard node, never once per viewer). Their states and points are
 * republished on this node's local {@link Addresses}, so the web side treats them as its own runs.
 *
 * <p>Points arrive in order on {@link ClusterAddresses#POINTS}; a gap (this node joined late, or a block was lost)
 * is filled by fetching from the run's node, a block at a time, until it has caught up. A state waits until the
 * points before it are here, so that a final state never comes before its points. A node not heard for
 * {@link #NODE_TIMEOUT_MS} is taken as gone: its live runs read {@code interrupted}; when it is heard again (a
 * healed partition) its runs' states are asked for again and put right, under the same ids, never duplicated.
 * On the cluster verticle's event loop, but {@link #find} and {@link #list}, which any thread may call.
 */
final class RemoteRuns {

    static final long NODE_TIMEOUT_MS = 5_000;
    /** Ended runs of other nodes kept at most; the oldest beyond are forgotten (their nodes still hold them). */
    static final int MAX_ENDED = 64;
    static final long REQUEST_TIMEOUT_MS = 10_000;

    private final Vertx vertx;
    private final EventBus bus;
    private final int maxLivePoints;
    private final Map<String, RemoteRun> runs = new ConcurrentHashMap<>();
    /** Per node, when it was last heard (ms), and whether it is taken as gone. */
    private final Map<String, Long> heard = new HashMap<>();
    private final Map<String, Boolean> gone = new HashMap<>();
    private long bytesReceived;
    /** The latest live blocks' times from their node's send to here (ms), a ring. */
    private final long[] hops = new long[4096];
    private long hopCount;

    private io.trainscope.server.training.RunRecords cache;

    RemoteRuns(Vertx vertx, int maxLivePoints) {
        this.vertx = vertx;
        this.bus = vertx.eventBus();
        this.maxLivePoints = maxLivePoints;
    }

    /** Where the copies of other nodes' runs are kept (a folder of its own, never a run's owner's); before any message. */
    void cache(io.trainscope.server.training.RunRecords cache) {
        this.cache = cache;
    }

    /** At the push rate: points and held states that a disk-backed copy has published since go out. */
    void tick() {
        for (RemoteRun run : runs.values()) {
            release(run);
            publishPoints(run);
        }
    }

    RemoteRun find(String id) {
        RemoteRun run = id == null ? null : runs.get(id);
        return run != null && run.visible ? run : null;
    }

    /** The runs shown here, oldest first. */
    List<RunView> list() {
        List<RunView> shown = new ArrayList<>();
        for (RemoteRun run : runs.values()) {
            if (run.visible) {
                shown.add(run);
            }
        }
        shown.sort(Comparator.comparingLong(run -> run.snapshot().startedAt()));
        return shown;
    }

    /** The node that trains {@code runId}, or null when none known does. */
    String owner(String runId) {
        RemoteRun run = runs.get(runId);
        return run == null ? null : run.owner;
    }

    long bytesReceived() {
        return bytesReceived;
    }

    /** Percentile {@code q} (0..1) of the latest node-to-here times of live points, ms; -1 before any. */
    long hopMillis(double q) {
        int n = (int) Math.min(hopCount, hops.length);
        if (n == 0) {
            return -1;
        }
        long[] sorted = java.util.Arrays.copyOf(hops, n);
        java.util.Arrays.sort(sorted);
        return sorted[Math.min(n - 1, (int) (q * n))];
    }

    void onState(String node, JsonObject json) {
        heard(node);
        RunSnapshot state = ClusterWire.snapshot(json, new Points(Math.max(1, json.getInteger("depth", 1)), 0));
        RemoteRun run = runs.get(state.id());
        if (run == null) {
            try {
                run = new RemoteRun(state.id(), node, cache.create(state.id(), state.spec(), Math.max(1, state.depth()),
                        null, state.sweep()), ClusterViews.kept(bus, node, state.id()));
            } catch (java.io.IOException | RuntimeException e) {
                throw new ClusterWire.WireException("run " + state.id() + " could not be kept here: " + e.getMessage());
            }
            runs.put(state.id(), run);
        }
        run.held = state;
        run.lost = false;
        release(run);
        if (run.held != null && !run.fetching) {
            fetch(run);
        }
    }

    void onPoints(Buffer message) {
        bytesReceived += message.length();
        ClusterWire.Block block = ClusterWire.points(message);
        RemoteRun run = runs.get(block.runId());
        // A run not known yet is asked for at its node's next heartbeat; one being fetched gets these from the fetch.
        if (run == null || run.fetching) {
            return;
        }
        hops[(int) (hopCount++ % hops.length)] = System.currentTimeMillis() - block.sentAt();
        run.itPerSec = block.itPerSec();
        run.elapsedMs = block.elapsedMs();
        if (!run.append(block.from(), block.points())) {
            fetch(run);
            return;
        }
        caughtUp(run);
    }

    void onDeleted(String runId) {
        RemoteRun run = runs.remove(runId);
        if (run != null) {
            try {
                cache.status(runId, RunStatus.STOPPED, null, run.snapshot() == null ? 0 : run.snapshot().elapsedMs());
                cache.delete(runId);
            } catch (java.io.IOException | RuntimeException e) {
                // A copy left in the cache folder is cleared at the next start.
            }
            if (run.visible) {
                bus.publish(Addresses.DELETED, runId);
            }
        }
    }

    /** A node's heartbeat: runs it lists that this node does not know (or took as lost) are asked for. */
    void onHeartbeat(String node, JsonArray listed) {
        boolean wasGone = Boolean.TRUE.equals(gone.get(node));
        heard(node);
        JsonArray ask = new JsonArray();
        for (Object id : listed) {
            RemoteRun run = id instanceof String s ? runs.get(s) : null;
            if (run == null || run.lost || wasGone) {
                ask.add(id);
            }
        }
        if (ask.isEmpty()) {
            return;
        }
        bus.<JsonObject>request(ClusterAddresses.node(node), ClusterWire.message("states").put("ids", ask),
                new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MS)).onSuccess(reply -> {
                    JsonObject body = reply.body();
                    ClusterWire.type(body);
                    for (Object state : body.getJsonArray("runs")) {
                        onState(node, (JsonObject) state);
                    }
                });
    }

    private void heard(String node) {
        heard.put(node, System.currentTimeMillis());
        gone.remove(node);
    }

    /** Once a second: the live and queued runs of nodes silent for too long read interrupted. */
    void checkNodes() {
        long now = System.currentTimeMillis();
        for (Map.Entry<String, Long> node : heard.entrySet()) {
            if (now - node.getValue() > NODE_TIMEOUT_MS && gone.put(node.getKey(), Boolean.TRUE) == null) {
                lost(node.getKey(), "its training node left the cluster (not heard for " + NODE_TIMEOUT_MS / 1000 + " s)");
            }
        }
        forgetEnded();
    }

    /** A node said it is leaving (it shuts down): its runs still live read interrupted now, not in 5 s. */
    void left(String node) {
        if (heard.containsKey(node) && gone.put(node, Boolean.TRUE) == null) {
            lost(node, "its training node left the cluster (it shut down)");
        }
    }

    private void lost(String node, String reason) {
        for (RemoteRun run : runs.values()) {
            RunSnapshot state = run.held != null ? run.held : run.snapshot();
            if (run.owner.equals(node) && state != null && !state.status().ended()) {
                run.lost = true;
                run.held = null;
                run.fetching = false;
                RunSnapshot interrupted = ClusterWire.withStatus(state, RunStatus.INTERRUPTED, reason);
                show(run, interrupted);
            }
        }
    }

    /** Asks the run's node for the points after those held, a block at a time, until caught up. */
    private void fetch(RemoteRun run) {
        run.fetching = true;
        long from = run.received();
        bus.<Buffer>request(ClusterAddresses.node(run.owner), ClusterWire.message("fetch").put("runId", run.id())
                .put("from", from), new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MS)).onComplete(answer -> {
                    if (!run.fetching || runs.get(run.id()) != run) {
                        return;
                    }
                    run.fetching = false;
                    if (answer.failed()) {
                        return;
                    }
                    bytesReceived += answer.result().body().length();
                    ClusterWire.Block block = ClusterWire.points(answer.result().body());
                    run.append(block.from(), block.points());
                    if (run.received() < block.size() && block.to() > block.from()) {
                        fetch(run);
                        return;
                    }
                    caughtUp(run);
                });
    }

    /** New points are here: a state waiting for them goes out, and so do they. */
    private void caughtUp(RemoteRun run) {
        release(run);
        publishPoints(run);
        if (run.held != null && !run.fetching) {
            fetch(run);
        }
    }

    /** Publishes the held state once the points it counts are here. */
    private void release(RemoteRun run) {
        RunSnapshot state = run.held;
        if (state != null && run.history().size() >= state.iteration()) {
            run.held = null;
            show(run, state);
        }
    }

    private void show(RemoteRun run, RunSnapshot state) {
        boolean first = !run.visible;
        RunSnapshot shown = new RunSnapshot(state.id(), state.status(), state.reason(), state.iteration(),
                state.iterations(), state.spec(), state.description(), state.depth(), state.startedAt(),
                state.endedAt(), state.elapsedMs(), state.itPerSec(), state.pace(), state.cost(), state.name(),
                state.parameters(), state.learningRate(), state.changes(), state.storageProblem(), run.latest(),
                state.createdAt(), state.results(), state.checkpoint(), state.sweep());
        run.snapshot(shown);
        run.visible = true;
        if (shown.status().ended()) {
            try {
                // Its copy here is complete: the cache's writer closes it.
                cache.status(run.id(), shown.status(), shown.reason(), shown.elapsedMs());
            } catch (java.io.IOException | RuntimeException e) {
                // Only this node's copy: it is still served from what was written.
            }
        }
        if (first && shown.status().ended()) {
            // An ended run shown for the first time: its points are its history, not live updates.
            run.published = run.history().size();
        }
        bus.publish(Addresses.STATE, shown);
        if (first) {
            publishPoints(run);
        }
    }

    /** The points held but not yet published locally, as one update (downsampled, as the training side's are). */
    private void publishPoints(RemoteRun run) {
        long from = run.published;
        long to = run.history().size();
        if (!run.visible || to <= from) {
            return;
        }
        RunSnapshot state = run.snapshot();
        run.published = to;
        if (state.status().live()) {
            // Between its states, a live run's progress is what its points say: iterations, cost, rate and time.
            state = new RunSnapshot(state.id(), state.status(), state.reason(), to, state.iterations(), state.spec(),
                    state.description(), state.depth(), state.startedAt(), state.endedAt(), run.elapsedMs,
                    run.itPerSec, state.pace(), run.history().lastCost(), state.name(), state.parameters(),
                    state.learningRate(), state.changes(), state.storageProblem(), run.latest(), state.createdAt(),
                    state.results(), state.checkpoint(), state.sweep());
            run.snapshot(state);
        }
        bus.publish(Addresses.METRICS, new MetricsUpdate(run.id(), from, to,
                run.history().downsampled(from, to, maxLivePoints),
                run.history().needsDownsampling(from, to, maxLivePoints), state.itPerSec(), state.elapsedMs()));
    }

    /** Keeps at most {@link #MAX_ENDED} ended runs of other nodes, the latest started. */
    private void forgetEnded() {
        List<RemoteRun> ended = new ArrayList<>();
        for (RemoteRun run : runs.values()) {
            if (run.visible && run.snapshot().status().ended() && run.held == null) {
                ended.add(run);
            }
        }
        if (ended.size() <= MAX_ENDED) {
            return;
        }
        ended.sort(Comparator.comparingLong(run -> run.snapshot().startedAt()));
        for (RemoteRun run : ended.subList(0, ended.size() - MAX_ENDED)) {
            onDeleted(run.id());
        }
    }
}
