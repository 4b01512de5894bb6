package io.trainscope.server.cluster;

import io.trainscope.server.Server;
import io.trainscope.testing.Specs;
import io.trainscope.testing.TestViewer;
import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code worker} as a real process: a headless training node that a dashboard places its starts on, whose runs are
 * kept in the worker's own data directory and streamed to the dashboard's viewers.
 */
class WorkerProcessTest {

    private final TestCluster cluster = new TestCluster();
    private final Vertx client = Vertx.vertx();
    private NodeProcess worker;

    @AfterEach
    void close() {
        if (worker != null) {
            worker.close();
            System.out.println(worker.printed());
        }
        client.close();
        cluster.close();
    }

    @Test
    void aRunStartedOnADashboardTrainsOnTheWorker(@TempDir Path dir) throws Exception {
        Server dashboard = cluster.node(false, true);
        worker = NodeProcess.start(cluster.config, dir.resolve("data"), "worker", "--max-running", "2");
        Wait.until(() -> worker.printed().contains("trainscope worker: 2 training slots"), "the worker joined",
                NodeProcess.START);
        assertFalse(worker.printed().contains("listening on"), "no HTTP: " + worker.printed());
        TestViewer viewer = TestViewer.connect(client, dashboard.port());
        viewer.awaitType("hello");
        // The dashboard hears the worker's free slots in its heartbeats, every second.
        Thread.sleep(2 * ClusterVerticle.HEARTBEAT_MS + 500);
        String id = viewer.start(Specs.xor(2_000, 0));
        assertTrue(dashboard.runs().find(id) == null, "placed on the worker, not on the dashboard it came to");
        viewer.awaitState(id, "finished");
        Wait.until(() -> viewer.lastIteration(id) == 1_999, "every point of the worker's run on the dashboard's viewer");
        Wait.until(() -> {
            try (var files = Files.walk(dir.resolve("data"))) {
                return files.anyMatch(f -> f.getFileName().toString().contains(id));
            } catch (java.io.IOException e) {
                return false;
            }
        }, "the run kept in the worker's data directory", Duration.ofSeconds(10));
    }
}
