package io.trainscope.cli;

import io.trainscope.nn.Kernels;
import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.access.SecurityConfig;
import io.trainscope.server.cluster.ClusterConfig;
import io.trainscope.server.training.EngineRunFactory;
import io.trainscope.server.web.ServerMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code worker}: a headless training node, {@code serve --cluster --trainer} without HTTP. It joins the cluster
 * (always: {@code --cluster} is implied), takes the runs any dashboard places on it by free slots, keeps them in its
 * own data directory and answers the dashboards' requests for them, until the process is stopped (docs/cluster.md).
 */
@Command(name = "worker", mixinStandardHelpOptions = true, description = "Join the cluster as a headless training"
        + " node: train the runs dashboards start, no HTTP (serve --cluster --trainer without the page).")
public final class WorkerCommand implements Callable<Integer> {

    @Option(names = "--data-dir", description = "Where runs are kept (default: ${DEFAULT-VALUE}).")
    Path dataDir = ServerConfig.DEFAULT_DATA_DIR;

    @Option(names = "--max-running", description = "Runs that may train or be paused at once: the slots dashboards"
            + " place runs in (default: ${DEFAULT-VALUE}).")
    int maxRunning = ServerConfig.DEFAULT_MAX_RUNNING;

    @Option(names = "--max-queued", description = "Runs that may wait for a slot beyond --max-running"
            + " (default: ${DEFAULT-VALUE}).")
    int maxQueued = ServerConfig.DEFAULT_MAX_QUEUED;

    @Option(names = "--push-rate", description = "Points blocks a second sent to the cluster (default: ${DEFAULT-VALUE}).")
    int pushRate = ServerConfig.DEFAULT_PUSH_RATE;

    @Mixin
    ClusterOptions clusterOptions;

    @Mixin
    KernelsOption kernels;

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig config;
        ClusterConfig cluster;
        try {
            ServerConfig d = ServerConfig.defaults();
            config = new ServerConfig(d.host(), d.port(), dataDir.toAbsolutePath().normalize(), null, maxRunning,
                    pushRate, false, d.maxLivePoints(), d.maxHistoryPoints(), d.maxMessageBytes(), d.chunkMillis(),
                    d.specLimits(), null, maxQueued, d.keepMillis(), d.snapshotRate());
            clusterOptions.cluster = true;
            cluster = clusterOptions.config(true);
        } catch (IllegalArgumentException e) {
            System.err.println("worker: " + e.getMessage());
            return 2;
        }
        String kernelsError = kernels.apply();
        if (kernelsError != null) {
            System.err.println("worker: " + kernelsError);
            return 2;
        }
        Vertx vertx = ServeCommand.joinCluster("worker", cluster, new VertxOptions(), null);
        if (vertx == null) {
            return 1;
        }
        Server server;
        try {
            server = Server.startNode(vertx, config, SecurityConfig.DEFAULT, new ServerMetrics(),
                            new EngineRunFactory(config.specLimits()), new Server.Clustered(cluster, false))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("worker: " + cause.getMessage());
            vertx.close();
            return 1;
        }
        System.out.println("trainscope data directory: " + config.dataDir());
        System.out.println(ServeCommand.clusterLine(cluster, server));
        System.out.println(KernelsOption.LINE + Kernels.description());
        System.out.println("trainscope worker: " + config.maxRunning() + " training slots, no HTTP; runs started from"
                + " the cluster's dashboards come here by free slots");
        ServeCommand.untilStopped("worker", server, vertx);
        return 0;
    }
}
