package io.trainscope.server;

import io.trainscope.history.MemoryHistory;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;

/**
 * Wires the server: the training verticle on a worker, the HTTP verticle on an event loop, one registry
 * of runs between them. {@link io.trainscope.cli.ServeCommand} and the tests start it the same way.
 */
public final class Server {

    private final Vertx vertx;
    private final RunRegistry registry;
    private final HttpVerticle http;
    private final String trainingId;
    private final String httpId;

    private Server(Vertx vertx, RunRegistry registry, HttpVerticle http, String trainingId, String httpId) {
        this.vertx = vertx;
        this.registry = registry;
        this.http = http;
        this.trainingId = trainingId;
        this.httpId = httpId;
    }

    /** Specs read by the engine, histories kept on the heap. */
    public static Future<Server> start(Vertx vertx, ServerConfig config) {
        return start(vertx, config, new EngineRunFactory(config.specLimits()), (runId, depth) -> new MemoryHistory(depth));
    }

    public static Future<Server> start(Vertx vertx, ServerConfig config, RunFactory runs, HistoryFactory histories) {
        LocalCodec.registerAll(vertx);
        RunRegistry registry = new RunRegistry();
        HttpVerticle http = new HttpVerticle(config, registry);
        return vertx.deployVerticle(new TrainingVerticle(config, registry, runs, histories),
                        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
                .compose(training -> vertx.deployVerticle(http)
                        .map(web -> new Server(vertx, registry, http, training, web)));
    }

    public int port() {
        return http.port();
    }

    public RunRegistry runs() {
        return registry;
    }

    public Future<Void> stop() {
        return vertx.undeploy(httpId).compose(v -> vertx.undeploy(trainingId));
    }
}
