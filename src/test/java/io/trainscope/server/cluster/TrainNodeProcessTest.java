package io.trainscope.server.cluster;

import io.trainscope.server.Server;
import io.trainscope.testing.TestViewer;
import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train --cluster} as a real process: its run streams to the viewers of a dashboard node and is paused from
 * another, and once the process is killed ({@code kill -9}) the run reads {@code interrupted} on both within 10 s.
 */
class TrainNodeProcessTest {

    private final TestCluster cluster = new TestCluster();
    private final Vertx client = Vertx.vertx();
    private Process train;

    @AfterEach
    void close() {
        if (train != null) {
            train.destroyForcibly();
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
        Path spec = Files.writeString(dir.resolve("spec.json"), "{\"layers\": [2, 8, 1], \"learningRate\": 0.1,"
                + " \"iterations\": 100000000, \"dataset\": {\"name\": \"xor\", \"samples\": 64}}");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.trainscope.Main", "train", spec.toString(),
                "--cluster", "--cluster-name", cluster.config.name(), "--cluster-port", String.valueOf(cluster.config.port()),
                "--cluster-members", String.join(",", cluster.config.members()), "--data-dir", dir.resolve("data").toString()));
        train = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("train.log").toFile())
                .start();

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
        train.destroyForcibly().waitFor();
        viewer.awaitState(id, "interrupted");
        controller.awaitState(id, "interrupted");
        assertTrue(System.nanoTime() - killed < 10_000_000_000L, "interrupted within 10 s of kill -9");
    }
}
