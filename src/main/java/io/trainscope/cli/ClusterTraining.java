package io.trainscope.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.trainscope.history.HistoryReader;
import io.trainscope.point.Points;
import io.trainscope.run.Training;
import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.access.SecurityConfig;
import io.trainscope.server.bus.CommandReply;
import io.trainscope.server.bus.RunCommand;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.server.bus.RunView;
import io.trainscope.server.cluster.ClusterConfig;
import io.trainscope.server.training.EngineRunFactory;
import io.trainscope.server.training.RunFactory;
import io.trainscope.server.web.ServerMetrics;
import io.trainscope.wire.MetricsJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code train --cluster}: the run trains in this process as on a server, by the training verticle (so that any
 * dashboard of the cluster can pause, step, stop it or change its learning rate, under its own token rules),
 * stored under {@code --data-dir} and exported to the cluster; no HTTP. This process still shows its progress bar
 * and writes {@code --metrics-out}, reading the run's points as they are published.
 */
final class ClusterTraining {

    static final long POLL_MS = 50;
    private static final long WAIT_SECONDS = 60;

    private ClusterTraining() {
    }

    /** A failure before training, with the exit code it ends with. */
    static final class Refused extends Exception {
        final int exitCode;

        Refused(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }

    /** The run's end: exit code, and the ended snapshot. */
    record Ended(int exitCode, RunSnapshot run) {
    }

    static Ended train(Training training, ClusterConfig cluster, Path dataDir, JsonGenerator metrics,
                       Progress progress, Interruption interruption, PrintWriter err) throws Refused, IOException {
        Vertx vertx = ServeCommand.joinCluster("train", cluster, new VertxOptions(), null);
        if (vertx == null) {
            throw new Refused(TrainCommand.RUN_FAILED, "could not join the cluster (see above)");
        }
        Server server = null;
        try {
            ServerConfig config = ServerConfig.defaults().withDataDir(dataDir.toAbsolutePath().normalize());
            RunFactory.Checked prepared = EngineRunFactory.checked(training.spec(), training);
            server = wait(Server.startNode(vertx, config, SecurityConfig.DEFAULT, new ServerMetrics(),
                    spec -> prepared, new Server.Clustered(cluster, false)));
            err.println(ServeCommand.clusterLine(cluster, server));
            CommandReply started = wait(vertx.eventBus().<CommandReply>request(server.commands(),
                    RunCommand.start(EngineRunFactory.shown(training.spec()))).map(m -> m.body()));
            if (!started.succeeded()) {
                throw new Refused(TrainCommand.RUN_FAILED, "the run could not start: " + started.error());
            }
            String id = started.run().id();
            err.println("train: run " + id + " in " + config.dataDir());
            err.flush();
            return follow(server.runs().find(id), metrics, progress, interruption);
        } finally {
            if (server != null) {
                try {
                    wait(server.stop());
                } catch (IOException e) {
                    err.println("train: stopping: " + e.getMessage());
                }
            }
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Writes and shows every point as it is published, until the run ends or this process is interrupted. */
    private static Ended follow(RunView run, JsonGenerator metrics, Progress progress, Interruption interruption)
            throws IOException {
        HistoryReader history = run.history();
        long written = 0;
        while (true) {
            RunSnapshot state = run.snapshot();
            boolean ended = state.status().ended();
            long size = history.size();
            if (metrics != null && size > written) {
                Points points = history.read(written, size);
                for (int p = 0; p < points.size(); p++) {
                    MetricsJson.writePoint(metrics, points, p);
                    metrics.writeRaw('\n');
                }
            }
            written = size;
            if (size > 0) {
                progress.update(size, history.lastCost());
            }
            if (ended && size >= state.iteration()) {
                int code = switch (state.status()) {
                    case FINISHED -> TrainCommand.FINISHED;
                    case STOPPED -> TrainCommand.STOPPED;
                    default -> TrainCommand.RUN_FAILED;
                };
                return new Ended(code, state);
            }
            if (interruption.requested()) {
                return new Ended(TrainCommand.INTERRUPTED, state);
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Ended(TrainCommand.INTERRUPTED, state);
            }
        }
    }

    private static <T> T wait(Future<T> future) throws IOException {
        try {
            return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException(cause.getMessage(), cause);
        }
    }
}
