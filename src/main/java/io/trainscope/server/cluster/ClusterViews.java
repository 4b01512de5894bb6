package io.trainscope.server.cluster;

import io.trainscope.server.bus.Addresses;
import io.trainscope.server.bus.DataSnapshot;
import io.trainscope.server.bus.KeptViews;
import io.trainscope.server.bus.RunsView;
import io.trainscope.server.bus.View;
import io.trainscope.server.bus.ViewDemand;
import io.trainscope.server.bus.ViewSnapshot;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The views inside a run (issue 10) across nodes, both ways, on the cluster verticle's context.
 *
 * <p>Demand crosses the wire: this node's web side tells {@link Addresses#DEMAND} what its viewers want of a run
 * whenever that changes. For a run trained here, that set joins what each other node asked for it, and the union
 * goes to this node's training verticle ({@link ClusterAddresses#LOCAL_DEMAND}), which computes each view once per
 * interval however many viewers on however many nodes want it. For a run trained elsewhere, the set goes to the
 * run's node ({@code demand}). Each snapshot of a run trained here is encoded once and sent to each node that wants
 * that view ({@link ClusterAddresses#views}), once per node whatever its viewers; that node publishes it on its own
 * {@link Addresses#SNAPSHOTS}. A node gone (not heard, or leaving) no longer counts; a node heard again after a
 * partition is told again what this one wants of its runs.
 *
 * <p>What a run keeps (its histograms over time, its examples, its last boundary and network) is asked of its node
 * when a late viewer subscribes here ({@link #kept}), a part at a time, off the event loop.
 */
final class ClusterViews {

    private final EventBus bus;
    private final String node;
    private final RunsView local;
    /** Per run trained here, per other node, the views it wants. */
    private final Map<String, Map<String, Set<View>>> asked = new HashMap<>();
    /** Per run trained here, what this node's own viewers want. */
    private final Map<String, Set<View>> mine = new HashMap<>();
    /** Per run trained here, what the training verticle was last told. */
    private final Map<String, Set<View>> told = new HashMap<>();
    /** Per run trained elsewhere, its node and what this node's viewers want of it. */
    private final Map<String, Set<View>> wanted = new HashMap<>();
    private final Map<String, String> owners = new HashMap<>();
    private long snapshotBytes;

    ClusterViews(EventBus bus, String node, RunsView local) {
        this.bus = bus;
        this.node = node;
        this.local = local;
    }

    long bytesSent() {
        return snapshotBytes;
    }

    /** This node's web side wants {@code demand} of a run; {@code owner} is the node training it, null for this one. */
    void onLocalDemand(ViewDemand demand, String owner) {
        if (local.find(demand.runId()) != null) {
            put(mine, demand.runId(), demand.views());
            tell(demand.runId());
        } else if (owner != null) {
            put(wanted, demand.runId(), demand.views());
            if (demand.views().isEmpty()) {
                owners.remove(demand.runId());
            } else {
                owners.put(demand.runId(), owner);
            }
            ask(owner, demand.runId(), demand.views());
        }
    }

    /** Another node's {@code demand} for a run trained here; a run not here is refused. */
    void onDemand(Message<JsonObject> message) {
        JsonObject request = message.body();
        String runId = request.getString("runId");
        String from = request.getString("node");
        if (runId == null || from == null || local.find(runId) == null) {
            message.fail(404, "no run " + runId + " on node " + node);
            return;
        }
        Set<View> views = EnumSet.noneOf(View.class);
        for (Object name : request.getJsonArray("views", new JsonArray())) {
            View view = name instanceof String s ? View.of(s) : null;
            if (view == null) {
                message.fail(400, "unknown view " + name + "; views are " + View.names());
                return;
            }
            views.add(view);
        }
        Map<String, Set<View>> byNode = asked.computeIfAbsent(runId, id -> new HashMap<>());
        put(byNode, from, views);
        if (byNode.isEmpty()) {
            asked.remove(runId);
        }
        tell(runId);
        message.reply(ClusterWire.message("demanded"));
    }

    /** A snapshot made here: to each other node that wants its view, encoded once. */
    void onSnapshot(ViewSnapshot snapshot) {
        Map<String, Set<View>> byNode = asked.get(snapshot.runId());
        if (byNode == null || local.find(snapshot.runId()) == null) {
            return;
        }
        Buffer encoded = null;
        for (Map.Entry<String, Set<View>> entry : byNode.entrySet()) {
            if (entry.getValue().contains(snapshot.view())) {
                encoded = encoded != null ? encoded : ViewWire.snapshot(snapshot);
                snapshotBytes += encoded.length();
                bus.send(ClusterAddresses.views(entry.getKey()), encoded);
            }
        }
    }

    /** A snapshot of another node's run, for this node's viewers: published here as if made here. */
    void onRemoteSnapshot(Buffer block) {
        ViewSnapshot snapshot = ViewWire.snapshot(block);
        if (wanted.containsKey(snapshot.runId())) {
            bus.publish(Addresses.SNAPSHOTS, snapshot);
        }
    }

    /** A node gone: what it asked for no longer counts. */
    void gone(String peer) {
        for (String runId : new java.util.ArrayList<>(asked.keySet())) {
            Map<String, Set<View>> byNode = asked.get(runId);
            if (byNode.remove(peer) != null) {
                if (byNode.isEmpty()) {
                    asked.remove(runId);
                }
                tell(runId);
            }
        }
    }

    /** A node heard again after it was taken as gone: it is told again what this node's viewers want of its runs. */
    void back(String peer) {
        owners.forEach((runId, owner) -> {
            if (owner.equals(peer)) {
                ask(owner, runId, wanted.getOrDefault(runId, Set.of()));
            }
        });
    }

    /** A run deleted, here or on its node: nothing is wanted of it any more. */
    void deleted(String runId) {
        asked.remove(runId);
        mine.remove(runId);
        told.remove(runId);
        wanted.remove(runId);
        owners.remove(runId);
    }

    private void tell(String runId) {
        Set<View> union = EnumSet.noneOf(View.class);
        union.addAll(mine.getOrDefault(runId, Set.of()));
        asked.getOrDefault(runId, Map.of()).values().forEach(union::addAll);
        if (!union.equals(told.getOrDefault(runId, Set.of()))) {
            put(told, runId, union);
            bus.send(ClusterAddresses.LOCAL_DEMAND, new ViewDemand(runId, union));
        }
    }

    private void ask(String owner, String runId, Set<View> views) {
        JsonArray names = new JsonArray();
        views.forEach(view -> names.add(view.wire()));
        bus.request(ClusterAddresses.node(owner), ClusterWire.message("demand").put("node", node).put("runId", runId)
                .put("views", names), new DeliveryOptions().setSendTimeout(RemoteRuns.REQUEST_TIMEOUT_MS));
    }

    private static <K> void put(Map<K, Set<View>> map, K key, Set<View> views) {
        if (views.isEmpty()) {
            map.remove(key);
        } else {
            map.put(key, EnumSet.copyOf(views));
        }
    }

    // What a run keeps.

    /** Another node asks for a part of what a run trained here keeps; read on a worker (it may be on disk). */
    Future<Buffer> keptPart(String runId, String part, io.vertx.core.Vertx vertx) {
        io.trainscope.server.bus.RunView run = runId == null ? null : local.find(runId);
        if (run == null) {
            return Future.failedFuture("no run " + runId + " on node " + node);
        }
        return vertx.executeBlocking(() -> {
            KeptViews kept = run.kept();
            return switch (part) {
                case "histograms" -> ViewWire.keptHistograms(kept.histograms());
                case "data" -> ViewWire.data(kept.data());
                case "boundary" -> ViewWire.keptSnapshot(kept.boundary());
                case "network" -> ViewWire.keptSnapshot(kept.network());
                default -> throw new IllegalArgumentException("unknown part \"" + part
                        + "\"; parts are histograms, data, boundary, network");
            };
        }, false);
    }

    /**
     * What a run of {@code owner} keeps, each part asked of it when read. Called off the event loop (a web side
     * reads kept views on a worker), so each part waits for its answer, at most {@link RemoteRuns#REQUEST_TIMEOUT_MS}.
     */
    static KeptViews kept(EventBus bus, String owner, String runId) {
        return new KeptViews() {
            private Buffer part(String part) {
                try {
                    return bus.<Buffer>request(ClusterAddresses.node(owner), ClusterWire.message("kept")
                                    .put("runId", runId).put("part", part),
                            new DeliveryOptions().setSendTimeout(RemoteRuns.REQUEST_TIMEOUT_MS))
                            .toCompletionStage().toCompletableFuture()
                            .get(RemoteRuns.REQUEST_TIMEOUT_MS + 1000, TimeUnit.MILLISECONDS).body();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("its node did not answer: " + e.getCause().getMessage(), e);
                } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
                    throw new IllegalStateException("its node did not answer: " + e, e);
                }
            }

            @Override
            public Histograms histograms() {
                return ViewWire.keptHistograms(part("histograms"));
            }

            @Override
            public io.trainscope.server.bus.BoundarySnapshot boundary() {
                return (io.trainscope.server.bus.BoundarySnapshot) ViewWire.keptSnapshot(part("boundary"));
            }

            @Override
            public io.trainscope.server.bus.NetworkSnapshot network() {
                return (io.trainscope.server.bus.NetworkSnapshot) ViewWire.keptSnapshot(part("network"));
            }

            @Override
            public DataSnapshot data() {
                return ViewWire.data(part("data"));
            }
        };
    }
}
