package io.trainscope.server;

import io.trainscope.history.MemoryHistory;
import io.trainscope.server.access.ConnectionBudget;
import io.trainscope.server.access.SecurityConfig;
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
    private final RunStorage storage;

    private Server(Vertx vertx, RunRegistry registry, HttpVerticle http, String trainingId, String httpId,
                   RunStorage storage) {
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
        RunRegistry registry = new RunRegistry();
        if (config.dataDir() == null) {
            return deploy(vertx, config, security, metrics, new EngineRunFactory(config.specLimits()),
                    RunStorage.memory((runId, depth) -> new MemoryHistory(depth)), registry);
        }
        // Opening reads every run.json and recovers a crash: blocking, so not on the caller's event loop.
        return vertx.executeBlocking(() -> {
            DiskStorage storage = DiskStorage.open(config.dataDir(), config.specLimits(), security.privateMode());
            storage.restoreInto(registry);
            return storage;
        }).compose(storage -> deploy(vertx, config, security, metrics, new EngineRunFactory(config.specLimits()),
                storage, registry));
    }

    public static Future<Server> start(Vertx vertx, ServerConfig config, SecurityConfig security, ServerMetrics metrics,
                                       RunFactory runs, HistoryFactory histories) {
        return deploy(vertx, config, security, metrics, runs, RunStorage.memory(histories), new RunRegistry());
    }

    private static Future<Server> deploy(Vertx vertx, ServerConfig config, SecurityConfig security,
                                         ServerMetrics metrics, RunFactory runs, RunStorage storage,
                                         RunRegistry registry) {
        LocalCodec.registerAll(vertx);
        ConnectionBudget.prepareForExhaustion();
        // Anything a handler throws that nothing caught is logged once, with its stack, rather than lost.
        vertx.exceptionHandler(e -> LOG.log(System.Logger.Level.ERROR, "unexpected error: " + e, e));
        HttpVerticle http = new HttpVerticle(config, registry, security, metrics, storage);
        return vertx.deployVerticle(new TrainingVerticle(config, registry, runs, storage),
                        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
                .compose(training -> vertx.deployVerticle(http)
                        .map(web -> new Server(vertx, registry, http, training, web, storage)));
    }

    public int port() {
        return http.port();
    }

    public RunRegistry runs() {
        return registry;
    }

    /** Stops serving and training, then writes every pending point. */
    public Future<Void> stop() {
        return vertx.undeploy(httpId).compose(v -> vertx.undeploy(trainingId))
                .compose(v -> vertx.executeBlocking(() -> {
                    storage.close();
                    return null;
                }));
    }
}
