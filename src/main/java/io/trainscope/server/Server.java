package io.trainscope.server;

import io.trainscope.history.MemoryHistory;
import io.trainscope.server.access.ConnectionBudget;
import io.trainscope.server.access.SecurityConfig;
import io.trainscope.server.bus.Addresses;
import io.trainscope.server.bus.LocalCodec;
import io.trainscope.server.bus.RunsView;
import io.trainscope.server.cluster.ClusterAddresses;
import io.trainscope.server.cluster.ClusterConfig;
import io.trainscope.server.cluster.ClusterVerticle;
import io.trainscope.server.training.DiskRecords;
import io.trainscope.server.training.EngineRunFactory;
import io.trainscope.server.training.HistoryFactory;
import io.trainscope.server.training.RunFactory;
import io.trainscope.server.training.RunRecords;
import io.trainscope.server.training.RunRegistry;
import io.trainscope.server.training.TrainingVerticle;
import io.trainscope.server.web.HttpVerticle;
import io.trainscope.server.web.ServerMetrics;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;

/**
 * Wires the server: the training verticle on a worker, the HTTP verticle on an event loop, one registry
 * of runs between them. {@link io.trainscope.cli.ServeCommand} and the tests start it the same way.
 */
public final class Server {

    private static final System.Logger LOG = System.getLogger(Server.class.getName());

    private final Vertx vertx;
    private final RunRegistry registry;
    private final HttpVerticle http;
    private final String trainingId;
    private final String httpId;
    private final RunRecords storage;

    private final ClusterVerticle cluster;
    private final String clusterId;

    private Server(Vertx vertx, RunRegistry registry, HttpVerticle http, String trainingId, String httpId,
                   RunRecords storage, ClusterVerticle cluster, String clusterId) {
        this.cluster = cluster;
        this.clusterId = clusterId;
        this.vertx = vertx;
        this.registry = registry;
        this.http = http;
        this.trainingId = trainingId;
        this.httpId = httpId;
        this.storage = storage;
    }

    /** Specs read by the engine; runs kept under {@code config.dataDir()}, or on the heap when it is null. */
    public static Future<Server> start(Vertx vertx, ServerConfig config) {
        return start(vertx, config, SecurityConfig.DEFAULT, new ServerMetrics());
    }

    /** Histories from {@code histories}, on the heap, whatever the data directory: for tests of the server alone. */
    public static Future<Server> start(Vertx vertx, ServerConfig config, RunFactory runs, HistoryFactory histories) {
        return start(vertx, config, SecurityConfig.DEFAULT, new ServerMetrics(), runs, histories);
    }

    /** With access rules, limits and TLS ({@code security}) and the registry that {@code /metrics} shows. */
    public static Future<Server> start(Vertx vertx, ServerConfig config, SecurityConfig security, ServerMetrics metrics) {
        return startNode(vertx, config, security, metrics, new EngineRunFactory(config.specLimits()), null);
    }

    /**
     * A node of a cluster ({@code vertx} clustered, {@code cluster.web()} whether it serves viewers), or a plain
     * server when {@code cluster} is null; specs read by {@code runs}.
     */
    public static Future<Server> startNode(Vertx vertx, ServerConfig config, SecurityConfig security,
                                           ServerMetrics metrics, RunFactory runs, Clustered cluster) {
        if (config.dataDir() == null) {
            RunRecords memory = RunRecords.memory((runId, depth) -> new MemoryHistory(depth));
            return deploy(vertx, config, security, metrics, runs, memory, new RunRegistry(memory), cluster);
        }
        // Opening reads every run.json and recovers a crash: blocking, so not on the caller's event loop.
        return vertx.executeBlocking(() -> {
            DiskRecords storage = DiskRecords.open(config.dataDir(), config.specLimits(), security.privateMode());
            RunRegistry registry = new RunRegistry(storage);
            storage.restoreInto(registry);
            return registry;
        }).compose(registry -> deploy(vertx, config, security, metrics, runs, registry.records(), registry, cluster));
    }

    public static Future<Server> start(Vertx vertx, ServerConfig config, SecurityConfig security, ServerMetrics metrics,
                                       RunFactory runs, HistoryFactory histories) {
        RunRecords memory = RunRecords.memory(histories);
        return deploy(vertx, config, security, metrics, runs, memory, new RunRegistry(memory), null);
    }

    /** How a node takes part in a cluster (docs/cluster.md). */
    public record Clustered(ClusterConfig config, boolean web) {
    }

    private static Future<Server> deploy(Vertx vertx, ServerConfig config, SecurityConfig security,
                                         ServerMetrics metrics, RunFactory runs, RunRecords storage,
                                         RunRegistry registry, Clustered cluster) {
        LocalCodec.registerAll(vertx);
        ConnectionBudget.prepareForExhaustion();
        // Anything a handler throws that nothing caught is logged once, with its stack, rather than lost.
        vertx.exceptionHandler(e -> LOG.log(System.Logger.Level.ERROR, "unexpected error: " + e, e));
        // The web side gets the runs read-only; whatever changes a run goes over the event bus (Addresses). On a
        // cluster's node it sees the other nodes' runs too, and its commands go through the cluster's router first.
        ClusterVerticle node = cluster == null ? null
                : new ClusterVerticle(config, cluster.config(), registry, cluster.web(), vertx);
        RunsView runsView = node == null ? registry : node.view();
        HttpVerticle http = cluster == null || cluster.web() ? new HttpVerticle(config, runsView, security, metrics) : null;
        String commands = node == null ? Addresses.COMMANDS : ClusterAddresses.LOCAL_COMMANDS;
        String demand = node == null ? Addresses.DEMAND : ClusterAddresses.LOCAL_DEMAND;
        return vertx.deployVerticle(new TrainingVerticle(config, registry, runs, storage, commands, demand),
                        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
                .compose(training -> (node == null ? Future.succeededFuture("") : vertx.deployVerticle(node,
                                new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)))
                        .compose(clusterId -> (http == null ? Future.succeededFuture("") : vertx.deployVerticle(http))
                                .map(web -> new Server(vertx, registry, http, training, web, storage, node, clusterId))));
    }

    /** This node's part in its cluster, or null when it is not clustered. */
    public ClusterVerticle cluster() {
        return cluster;
    }

    /** The address its training verticle takes commands on: what a headless node sends its own run to. */
    public String commands() {
        return cluster == null ? Addresses.COMMANDS : ClusterAddresses.LOCAL_COMMANDS;
    }

    /** The HTTP port, -1 for a node that serves no viewers. */
    public int port() {
        return http == null ? -1 : http.port();
    }

    public RunRegistry runs() {
        return registry;
    }

    /** Stops serving and training, then writes every pending point. */
    public Future<Void> stop() {
        Future<Void> web = httpId.isEmpty() ? Future.succeededFuture() : vertx.undeploy(httpId);
        return web.compose(v -> clusterId.isEmpty() ? Future.succeededFuture() : vertx.undeploy(clusterId))
                .compose(v -> vertx.undeploy(trainingId))
                .compose(v -> vertx.executeBlocking(() -> {
                    storage.close();
                    return null;
                }));
    }
}
