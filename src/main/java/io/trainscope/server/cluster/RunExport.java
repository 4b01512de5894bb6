package io.trainscope.server.cluster;

import io.trainscope.history.HistoryReader;
import io.trainscope.point.Points;
import io.trainscope.server.bus.Addresses;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.server.bus.RunView;
import io.trainscope.server.bus.RunsView;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The training side of a node: tells the cluster about the runs this node trains. Each state the training verticle
 * publishes goes out once, after every point before it; new points go out at the push rate, every one of them (not
 * the viewers' downsampled selection: a dashboard node keeps the whole run for its own late viewers), once per
 * node that listens, whatever its viewers. On the cluster verticle's event loop only.
 */
final class RunExport {

    /** Most points in one block, as the codec takes them: about 140 KB on [2,16,16,1]. */
    static final int MAX_BLOCK = io.trainscope.store.PointsCodec.MAX_POINTS;
    /** Ended runs listed in each heartbeat besides the live ones: what a late-joining dashboard gets of the past. */
    static final int LISTED_ENDED = 16;

    private final Vertx vertx;
    private final EventBus bus;
    private final String node;
    private final RunsView runs;
    /** Per run, the end (exclusive) of the points sent. */
    private final Map<String, Long> sentTo = new HashMap<>();
    /** Per run, the last state published: what {@link #last} compares with. */
    private final Map<String, RunSnapshot> exported = new HashMap<>();
    private long bytesSent;

    RunExport(Vertx vertx, String node, RunsView runs) {
        this.vertx = vertx;
        this.bus = vertx.eventBus();
        this.node = node;
        this.runs = runs;
    }

    void start(int pushRate) {
        bus.<RunSnapshot>localConsumer(Addresses.STATE, message -> onState(message.body()));
        bus.<String>localConsumer(Addresses.DELETED, message -> {
            // Only this node's runs: a dashboard republishes other nodes' runs on the same local addresses.
            if (sentTo.remove(message.body()) == null) {
                return;
            }
            bus.publish(ClusterAddresses.DELETED, ClusterWire.message("deleted").put("node", node)
                    .put("runId", message.body()));
        });
        vertx.setPeriodic(Math.max(1, 1000 / pushRate), id -> flushAll());
    }

    /** Bytes of points published since start: what docs/cluster.md's figures count. */
    long bytesSent() {
        return bytesSent;
    }

    private void onState(RunSnapshot state) {
        RunView run = runs.find(state.id());
        if (run == null) {
            // Another node's run, republished here for this node's viewers: its own node exports it.
            return;
        }
        flush(run);
        publish(state);
    }

    private void publish(RunSnapshot state) {
        exported.put(state.id(), state);
        bus.publish(ClusterAddresses.STATE, ClusterWire.message("state").put("node", node)
                .put("run", ClusterWire.snapshot(state)));
    }

    /**
     * As this node leaves: the points not sent yet, and each run's state where it is newer than the last one sent
     * (a run that just ended publishes its state locally, and the cluster verticle may be undeployed before it
     * reads it). Only runs this node exported or that are live: a node's past runs are not sent again.
     */
    void last() {
        for (RunView run : runs.list()) {
            RunSnapshot state = run.snapshot();
            RunSnapshot sent = exported.get(run.id());
            if (sent != null ? sent != state : state.status().live()) {
                flush(run);
                publish(state);
            }
        }
    }

    private void flushAll() {
        for (RunView run : runs.list()) {
            flush(run);
        }
    }

    /** Publishes the run's points not sent yet, a block at a time. A run first seen ended has nothing to send. */
    private void flush(RunView run) {
        HistoryReader history = run.history();
        long size = history.size();
        long from = sentTo.computeIfAbsent(run.id(), id -> run.snapshot().status().live() ? 0L : size);
        while (from < size) {
            long to = Math.min(size, from + MAX_BLOCK);
            RunSnapshot state = run.snapshot();
            Buffer block = ClusterWire.points(new ClusterWire.Block(run.id(), from, to, size, System.currentTimeMillis(),
                    state.itPerSec(), state.elapsedMs(), history.read(from, to)));
            bytesSent += block.length();
            bus.publish(ClusterAddresses.POINTS, block);
            from = to;
        }
        sentTo.put(run.id(), from);
    }

    /** This node's runs as a heartbeat lists them: every live or queued one, and the latest ended ones. */
    JsonArray listed() {
        List<RunView> all = runs.list();
        List<RunView> listed = new ArrayList<>();
        int ended = 0;
        for (int i = all.size() - 1; i >= 0; i--) {
            RunView run = all.get(i);
            if (!run.snapshot().status().ended() || ended++ < LISTED_ENDED) {
                listed.add(run);
            }
        }
        JsonArray out = new JsonArray();
        for (int i = listed.size() - 1; i >= 0; i--) {
            out.add(listed.get(i).id());
        }
        return out;
    }

    /** The states of the runs named, for a node that does not know them yet. */
    JsonObject states(JsonArray ids) {
        JsonArray states = new JsonArray();
        for (Object id : ids) {
            RunView run = id instanceof String s ? runs.find(s) : null;
            if (run != null) {
                states.add(ClusterWire.snapshot(run.snapshot()));
            }
        }
        return ClusterWire.message("states").put("node", node).put("runs", states);
    }

    /** Points {@code [from, from + MAX_BLOCK)} of a run, read on a worker (a history may be on disk). */
    io.vertx.core.Future<Buffer> fetch(String runId, long from) {
        RunView run = runs.find(runId);
        if (run == null) {
            return io.vertx.core.Future.failedFuture("no run with id " + runId + " on this node");
        }
        return vertx.executeBlocking(() -> {
            HistoryReader history = run.history();
            long size = history.size();
            long start = Math.max(0, Math.min(from, size));
            long to = Math.min(size, start + MAX_BLOCK);
            Points points = history.read(start, to);
            RunSnapshot state = run.snapshot();
            return ClusterWire.points(new ClusterWire.Block(runId, start, to, size, System.currentTimeMillis(),
                    state.itPerSec(), state.elapsedMs(), points));
        }, false);
    }
}
