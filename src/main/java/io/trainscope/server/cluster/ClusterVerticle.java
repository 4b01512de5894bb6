package io.trainscope.server.cluster;

import io.trainscope.server.ServerConfig;
import io.trainscope.server.bus.Addresses;
import io.trainscope.server.bus.CommandReply;
import io.trainscope.server.bus.RunCommand;
import io.trainscope.server.bus.RunView;
import io.trainscope.server.bus.RunsView;
import io.trainscope.server.bus.ViewDemand;
import io.trainscope.server.bus.ViewSnapshot;
import io.trainscope.server.training.DiskRecords;
import io.trainscope.server.training.RunRecords;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A node's part in the cluster, on one event loop: it exports the runs this node trains ({@link RunExport}), keeps
 * those of other nodes for this node's viewers ({@link RemoteRuns}, dashboard nodes only), takes this node's
 * commands to where they belong ({@link CommandRouter}, {@link Placement}), answers other nodes' requests on its
 * node address, and sends a heartbeat every second. docs/cluster.md has the whole picture.
 */
public final class ClusterVerticle extends VerticleBase {

    static final long HEARTBEAT_MS = 1_000;
    /** How often the traffic between nodes is logged, at DEBUG (docs/cluster.md, "Figures"). */
    static final long REPORT_MS = 10_000;
    /** How long a node leaving waits for the others to have read what it sent last. */
    static final long LEAVING_MS = 3_000;

    private static final System.Logger LOG = System.getLogger(ClusterVerticle.class.getName());

    private final String node = UUID.randomUUID().toString();
    private final ServerConfig config;
    private final ClusterConfig cluster;
    private final RunsView local;
    private final RemoteRuns remote;
    /** The folder under the data directory that holds the copies of other nodes' runs. */
    static final String CACHE = "cluster-cache";

    private RunExport export;
    private RunRecords cache;
    private Placement placement;
    private CommandRouter router;
    private ClusterViews views;
    private final ClusterParameters parameters;
    private final java.nio.file.Path fetched;
    /** Other nodes taken as gone (not heard for {@link RemoteRuns#NODE_TIMEOUT_MS}): what they wanted no longer counts. */
    private final java.util.Set<String> silent = new java.util.HashSet<>();
    /** Every other node heard, and when (ms): who a node leaving says so to. On this verticle's context. */
    private final java.util.Map<String, Long> peers = new java.util.HashMap<>();

    /**
     * {@code local}: the runs this node trains. {@code dashboard}: this node serves viewers, so it keeps other
     * nodes' runs and routes its web side's commands.
     */
    public ClusterVerticle(ServerConfig config, ClusterConfig cluster, RunsView local, boolean dashboard,
                           io.vertx.core.Vertx vertx) {
        this.config = config;
        this.cluster = cluster;
        this.local = local;
        this.remote = dashboard ? new RemoteRuns(vertx, config.maxLivePoints()) : null;
        // Fetched parameters of other nodes' runs: in the cache folder (emptied at each start), or a temporary one.
        java.nio.file.Path fetched = config.dataDir() != null ? config.dataDir().resolve(CACHE).resolve("parameters")
                : java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "trainscope-parameters-" + node);
        this.parameters = new ClusterParameters(vertx, local, remote, fetched);
        this.fetched = fetched;
    }

    /**
     * Before leaving: what this node has not told the cluster yet (a run that just ended), then a word to each node
     * heard lately, answered once that node has read everything sent before it (one connection per node, read in
     * order): a {@code train --cluster} process that ends straight after its run is seen to end everywhere, not
     * taken as gone. Bounded by {@link #LEAVING_MS}.
     */
    @Override
    public Future<?> stop() {
        List<Future<?>> told = new ArrayList<>();
        if (export != null) {
            export.last();
            long now = System.currentTimeMillis();
            peers.forEach((peer, heard) -> {
                if (now - heard <= RemoteRuns.NODE_TIMEOUT_MS) {
                    told.add(vertx.eventBus().request(ClusterAddresses.node(peer), ClusterWire.message("leaving")
                            .put("node", node), new DeliveryOptions().setSendTimeout(LEAVING_MS)));
                }
            });
        }
        Future<Void> temporary = config.dataDir() != null ? Future.succeededFuture()
                : vertx.fileSystem().deleteRecursive(fetched.toString()).otherwiseEmpty();
        return Future.join(told).eventually(() -> temporary).eventually(() -> {
            if (cache != null) {
                try {
                    cache.close();
                } catch (java.io.IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "the cluster cache could not be closed: " + e.getMessage());
                }
            }
            return Future.succeededFuture();
        });
    }

    /** What the web side of a dashboard node sees: its own runs and the other nodes' as one list. */
    public RunsView view() {
        return remote == null ? local : new ClusterRunsView(local, remote, parameters::fetch);
    }

    public String nodeId() {
        return node;
    }

    /** Bytes of points this node has published, and received (points and fetches), since it started. */
    public long[] pointBytes() {
        return new long[] {export == null ? 0 : export.bytesSent(), remote == null ? 0 : remote.bytesReceived()};
    }

    /** Bytes of view snapshots this node has sent to other nodes since it started. */
    public long viewBytesSent() {
        return views == null ? 0 : views.bytesSent();
    }

    /**
     * The copies of other nodes' runs: under {@code <data-dir>/cluster-cache}, emptied at each start (a cache, not a
     * record: each run's record is on its own node), or on the heap without a data directory.
     */
    private RunRecords openCache() throws java.io.IOException {
        if (config.dataDir() == null) {
            return RunRecords.memory((runId, depth) -> new io.trainscope.history.MemoryHistory(depth));
        }
        java.nio.file.Path folder = config.dataDir().resolve(CACHE);
        if (java.nio.file.Files.exists(folder)) {
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(folder)) {
                for (java.nio.file.Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(file);
                }
            }
        }
        return DiskRecords.open(folder, config.specLimits(), true);
    }

    @Override
    public Future<?> start() {
        if (remote != null) {
            // A worker verticle: the cache's files are opened and written on this context.
            try {
                cache = openCache();
            } catch (java.io.IOException e) {
                return Future.failedFuture(e);
            }
            remote.cache(cache);
        }
        EventBus bus = vertx.eventBus();
        export = new RunExport(vertx, node, local);
        export.start(config.pushRate());
        placement = new Placement(node, cluster.trainer(), this::freeSlots);
        router = new CommandRouter(vertx, bus, local, remote, placement);
        views = new ClusterViews(bus, node, local);
        List<Future<Void>> registered = new ArrayList<>();
        registered.add(bus.<JsonObject>consumer(ClusterAddresses.node(node), this::onRequest).completion());
        bus.<ViewDemand>localConsumer(Addresses.DEMAND, message -> views.onLocalDemand(message.body(),
                remote == null ? null : remote.owner(message.body().runId())));
        bus.<ViewSnapshot>localConsumer(Addresses.SNAPSHOTS, message -> views.onSnapshot(message.body()));
        bus.<String>localConsumer(Addresses.DELETED, message -> views.deleted(message.body()));
        registered.add(bus.<Buffer>consumer(ClusterAddresses.views(node), message -> guarded("view",
                () -> views.onRemoteSnapshot(message.body()))).completion());
        if (remote != null) {
            router.start();
            registered.add(bus.<JsonObject>consumer(ClusterAddresses.STATE, message -> fromOthers(message.body(),
                    () -> remote.onState(message.body().getString("node"), message.body().getJsonObject("run"))))
                    .completion());
            registered.add(bus.<Buffer>consumer(ClusterAddresses.POINTS, message -> {
                if (local.find(ClusterWire.runIdOf(message.body())) == null) {
                    guarded("points", () -> remote.onPoints(message.body()));
                }
            }).completion());
            registered.add(bus.<JsonObject>consumer(ClusterAddresses.DELETED, message -> fromOthers(message.body(),
                    () -> remote.onDeleted(message.body().getString("runId")))).completion());
            vertx.setPeriodic(HEARTBEAT_MS, id -> remote.checkNodes());
            vertx.setPeriodic(Math.max(1, 1000 / config.pushRate()), id -> remote.tick());
            vertx.setPeriodic(REPORT_MS, id -> report());
        }
        registered.add(bus.<JsonObject>consumer(ClusterAddresses.NODES, message -> fromOthers(message.body(), () -> {
            JsonObject beat = message.body();
            peers.put(beat.getString("node"), System.currentTimeMillis());
            if (silent.remove(beat.getString("node"))) {
                views.back(beat.getString("node"));
            }
            if (remote != null) {
                placement.heard(beat.getString("node"), beat.getBoolean("trainer", false), beat.getInteger("free", 0));
                remote.onHeartbeat(beat.getString("node"), beat.getJsonArray("runs"));
            }
        })).completion());
        vertx.setPeriodic(1, HEARTBEAT_MS, id -> {
            heartbeat();
            checkPeers();
        });
        return Future.all(registered);
    }

    /** Nodes not heard for {@link RemoteRuns#NODE_TIMEOUT_MS} are taken as gone. */
    private void checkPeers() {
        long now = System.currentTimeMillis();
        peers.forEach((peer, heard) -> {
            if (now - heard > RemoteRuns.NODE_TIMEOUT_MS && silent.add(peer)) {
                views.gone(peer);
            }
        });
    }

    private long[] reported = {0, 0};

    /** Points traffic since the last report, and the node-to-here time of live points (the latest 4096). */
    private void report() {
        long[] now = pointBytes();
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, String.format("cluster points: %.0f B/s sent, %.0f B/s received;"
                            + " node-to-node p50 %d ms, p99 %d ms",
                    (now[0] - reported[0]) * 1000.0 / REPORT_MS, (now[1] - reported[1]) * 1000.0 / REPORT_MS,
                    remote.hopMillis(0.5), remote.hopMillis(0.99)));
        }
        reported = now;
    }

    /** Training slots this node has free: {@code --max-running} minus its live runs. */
    private int freeSlots() {
        int live = 0;
        for (RunView run : local.list()) {
            if (run.snapshot().status().live()) {
                live++;
            }
        }
        return Math.max(0, config.maxRunning() - live);
    }

    private void heartbeat() {
        vertx.eventBus().publish(ClusterAddresses.NODES, ClusterWire.message("node").put("node", node)
                .put("trainer", cluster.trainer()).put("free", freeSlots()).put("runs", export.listed()));
    }

    /** A message of another node (this node's own publications come back to it too), read under {@link #guarded}. */
    private void fromOthers(JsonObject message, Runnable handle) {
        guarded(message.getString("type"), () -> {
            ClusterWire.type(message);
            if (!node.equals(message.getString("node"))) {
                handle.run();
            }
        });
    }

    /** A malformed message from another node is logged and dropped: it must not stop this one. */
    private static void guarded(String what, Runnable handle) {
        try {
            handle.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a cluster message (" + what + ") was dropped: " + e.getMessage());
        }
    }

    /** Another node's request to this one: the states of runs, a range of points, or a command. */
    private void onRequest(Message<JsonObject> message) {
        JsonObject request = message.body();
        String type;
        try {
            type = ClusterWire.type(request);
        } catch (ClusterWire.WireException e) {
            message.fail(400, e.getMessage());
            return;
        }
        switch (type) {
            case "states" -> message.reply(export.states(request.getJsonArray("ids", new io.vertx.core.json.JsonArray())));
            case "fetch" -> export.fetch(request.getString("runId"), request.getLong("from", 0L)).onComplete(read -> {
                if (read.succeeded()) {
                    message.reply(read.result());
                } else {
                    message.fail(404, read.cause().getMessage());
                }
            });
            case "command" -> {
                RunCommand command;
                try {
                    command = ClusterWire.command(request);
                } catch (ClusterWire.WireException e) {
                    message.reply(ClusterWire.reply(CommandReply.refused(400, e.getMessage())));
                    return;
                }
                router.locally(command).onComplete(reply -> message.reply(ClusterWire.reply(reply.succeeded()
                        ? reply.result() : CommandReply.refused(500, reply.cause().getMessage()))));
            }
            case "leaving" -> {
                String peer = request.getString("node");
                peers.remove(peer);
                silent.remove(peer);
                if (peer != null) {
                    views.gone(peer);
                }
                if (remote != null && peer != null) {
                    remote.left(peer);
                }
                message.reply(ClusterWire.message("left"));
            }
            case "demand" -> views.onDemand(message);
            case "parameters" -> parameters.onRequest(message);
            case "kept" -> views.keptPart(request.getString("runId"), request.getString("part", ""), vertx)
                    .onComplete(read -> {
                        if (read.succeeded()) {
                            message.reply(read.result());
                        } else {
                            message.fail(404, read.cause().getMessage());
                        }
                    });
            default -> message.fail(400, "unknown cluster request \"" + type + "\"");
        }
    }
}
