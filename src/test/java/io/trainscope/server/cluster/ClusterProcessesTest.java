package io.trainscope.server.cluster;

import io.trainscope.cli.TrainCommand;
import io.trainscope.testing.TestViewer;
import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes as separate processes, as they run on separate machines: {@code train SPEC --cluster} trains, a viewer of one
 * {@code serve --cluster} dashboard follows it, and what is sent to another dashboard acts on it.
 */
class ClusterProcessesTest {

    private final TestCluster cluster = new TestCluster();
    private final Vertx client = Vertx.vertx();
    private final List<NodeProcess> processes = new ArrayList<>();

    @AfterEach
    void close() {
        processes.forEach(NodeProcess::close);
        // What each process printed, in target/surefire-reports: what a failure is read from.
        processes.forEach(process -> System.out.println("--- process " + process.pid() + ":\n" + process.printed()));
        client.close();
        cluster.close();
    }

    private NodeProcess start(Path data, String... command) throws java.io.IOException {
        NodeProcess process = NodeProcess.start(cluster.config, data, command);
        processes.add(process);
        return process;
    }

    /** The one run listed by a dashboard, once it is. */
    private static String theRun(NodeProcess dashboard) {
        String[] id = new String[1];
        Wait.until(() -> {
            try {
                JsonArray runs = new JsonArray(dashboard.send("GET", "/api/runs", null).body());
                id[0] = runs.isEmpty() ? null : runs.getJsonObject(0).getString("id");
            } catch (Exception e) {
                id[0] = null;
            }
            return id[0] != null;
        }, "the training process's run on the dashboard", NodeProcess.START);
        return id[0];
    }

    private static void ok(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
    }

    /** The latest state of {@code id} the viewer got. */
    private static JsonObject lastState(TestViewer viewer, String id) {
        List<JsonObject> states = viewer.ofType("state").stream().filter(s -> id.equals(s.getString("runId"))).toList();
        return states.get(states.size() - 1);
    }

    @Test
    void aRunTrainedByOneProcessIsWatchedOnAnotherAndControlledFromAThird(@TempDir Path dir) throws Exception {
        NodeProcess watched = start(dir.resolve("b"), "serve", "--port", "0");
        NodeProcess control = start(dir.resolve("c"), "serve", "--port", "0");
        NodeProcess train = start(dir.resolve("a"), "train", NodeProcess.endless(dir).toString());

        String id = theRun(watched);
        TestViewer viewer = TestViewer.connect(client, watched.port());
        Wait.until(() -> viewer.lastIteration(id) > 1000, "the run's live points on the dashboard's viewer");
        List<Long> seen = viewer.iterations(id);
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) > seen.get(i - 1), "in order: " + seen);
        }
        Wait.until(() -> theRun(control).equals(id), "the run on the other dashboard");

        ok(control.send("POST", "/api/runs/" + id + "/pause", "{}"));
        viewer.awaitState(id, "paused");
        Wait.until(() -> viewer.lastIteration(id) == lastState(viewer, id).getLong("iteration") - 1,
                "the points before the pause");
        long paused = lastState(viewer, id).getLong("iteration");
        ok(control.send("POST", "/api/runs/" + id + "/step", "{}"));
        Wait.until(() -> viewer.lastIteration(id) == paused, "the step's one point");
        ok(control.send("POST", "/api/runs/" + id + "/set", "{\"learningRate\": 0.25}"));
        Wait.until(() -> lastState(viewer, id).getDouble("learningRate", 0.0) == 0.25, "the new rate seen on the viewer");
        assertEquals(paused, viewer.lastIteration(id), "still paused after the step");
        ok(control.send("POST", "/api/runs/" + id + "/resume", "{}"));
        viewer.awaitState(id, "running");
        Wait.until(() -> viewer.lastIteration(id) > paused + 100, "training again");
        ok(control.send("POST", "/api/runs/" + id + "/stop", "{}"));
        viewer.awaitState(id, "stopped");

        assertTrue(train.process.waitFor(30, TimeUnit.SECONDS), "the training process ends once its run is stopped");
        assertEquals(TrainCommand.STOPPED, train.process.exitValue(), train.printed());
    }

    @Test
    void aSuspendedTrainingProcessReadsInterruptedThenComesBackAsTheSameRun(@TempDir Path dir) throws Exception {
        NodeProcess dashboard = start(dir.resolve("b"), "serve", "--port", "0");
        NodeProcess train = start(dir.resolve("a"), "train", NodeProcess.endless(dir).toString());
        String id = theRun(dashboard);
        TestViewer viewer = TestViewer.connect(client, dashboard.port());
        Wait.until(() -> viewer.lastIteration(id) > 1000, "the run's live points");

        // Beyond the 5 s without a heartbeat: the dashboard's side of the partition takes it as gone.
        train.signal("STOP");
        viewer.awaitState(id, "interrupted");
        long before = viewer.lastIteration(id);
        train.signal("CONT");
        // Hazelcast merges the two sides (docs/cluster.md: merge delays), then the run is put right.
        Wait.until(() -> "running".equals(lastState(viewer, id).getString("status")), "the run live again",
                Duration.ofSeconds(45));
        Wait.until(() -> viewer.lastIteration(id) > before + 1000, "its points flowing again");

        JsonArray runs = new JsonArray(dashboard.send("GET", "/api/runs", null).body());
        assertEquals(1, runs.size(), "one run, once: " + runs);
        assertEquals(id, runs.getJsonObject(0).getString("id"));
        // Its whole history, with no hole where the process was suspended.
        String metrics = dashboard.send("GET", "/api/runs/" + id + "/metrics", null).body();
        long expected = 0;
        for (String line : metrics.split("\n")) {
            assertEquals(expected++, new JsonObject(line).getLong("iteration"), "iterations in order, none missing");
        }
        assertTrue(expected > before, "the history reaches past the suspension: " + expected);
        // And the viewer read on where it was: later points only, in order.
        List<Long> seen = viewer.iterations(id);
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) > seen.get(i - 1), "in order: " + seen.subList(Math.max(0, i - 3), i + 1));
        }
        // Commands reach it again (the cluster's subscriptions of the healed side are back).
        ok(dashboard.send("POST", "/api/runs/" + id + "/pause", "{}"));
        viewer.awaitState(id, "paused");
    }
}
