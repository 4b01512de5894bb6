package io.trainscope.server.cluster;

import io.trainscope.server.Server;
import io.trainscope.testing.TestViewer;
import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train --cluster} as a real process: its run streams to the viewers of a dashboard node and is paused from
 * another, and once the process is killed ({@code kill -9}) the run reads {@code interrupted} on both within 10 s.
 */
class TrainNodeProcessTest {

    private final TestCluster cluster = new TestCluster();
    private final Vertx client = Vertx.vertx();
    private NodeProcess train;

    @AfterEach
    void close() {
        if (train != null) {
            train.close();
        }
        client.close();
        cluster.close();
    }

    @Test
    void aKilledTrainingProcessLeavesItsRunInterruptedElsewhere(@TempDir Path dir) throws Exception {
        Server watched = cluster.node(false, true);
        Server control = cluster.node(false, true);
        TestViewer viewer = TestViewer.connect(client, watched.port());
        viewer.awaitType("hello");
        train = NodeProcess.start(cluster.config, dir.resolve("data"), "train", NodeProcess.endless(dir).toString());

        Wait.until(() -> !watched.cluster().view().list().isEmpty(), "the process's run on the dashboard",
                Duration.ofSeconds(60));
        String id = watched.cluster().view().list().get(0).id();
        Wait.until(() -> viewer.lastIteration(id) > 1000, "its points on the dashboard's viewer");
        Wait.until(() -> control.cluster().view().find(id) != null, "the run on the other dashboard");
        TestViewer controller = TestViewer.connect(client, control.port());
        controller.awaitType("hello");
        controller.send(new JsonObject().put("type", "pause").put("runId", id));
        viewer.awaitState(id, "paused");

        long killed = System.nanoTime();
        train.close();
        viewer.awaitState(id, "interrupted");
        controller.awaitState(id, "interrupted");
        assertTrue(System.nanoTime() - killed < 10_000_000_000L, "interrupted within 10 s of kill -9");
    }
}
