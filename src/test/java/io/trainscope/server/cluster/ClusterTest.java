package io.trainscope.server.cluster;

import io.trainscope.server.Server;
import io.trainscope.testing.Specs;
import io.trainscope.testing.TestViewer;
import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three and four clustered nodes on loopback in one JVM: a run started from one dashboard trains on the trainer
 * node, streams to the viewers of another dashboard, is controlled from the first, reaches a node that joins late
 * with its whole history, and reads {@code interrupted} everywhere once its node leaves.
 */
class ClusterTest {

    private final TestCluster cluster = new TestCluster();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Vertx client = Vertx.vertx();

    @AfterEach
    void close() {
        client.close();
        cluster.close();
    }

    private HttpResponse<String> send(Server node, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .timeout(Duration.ofSeconds(30)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject run(Server node, String id) throws Exception {
        HttpResponse<String> response = send(node, "GET", "/api/runs/" + id, null);
        return response.statusCode() == 200 ? new JsonObject(response.body()) : null;
    }

    @Test
    void aRunTrainsOnOneNodeStreamsToAnotherAndIsControlledFromAThird() throws Exception {
        Vertx trainerVertx = cluster.vertx(cluster.config.withTrainer(true));
        Server trainer = cluster.node(trainerVertx, true, false);
        Server watched = cluster.node(false, true);
        Server control = cluster.node(false, true);
        // Every node hears every other's heartbeat before the start, so the start is placed on the trainer.
        Thread.sleep(2 * ClusterVerticle.HEARTBEAT_MS + 500);
        TestViewer viewer = TestViewer.connect(client, watched.port());
        viewer.awaitType("hello");

        HttpResponse<String> started = send(control, "POST", "/api/runs", Specs.xor(1_000_000, 300).encode());
        assertEquals(201, started.statusCode(), started.body());
        String id = new JsonObject(started.body()).getString("id");
        assertTrue(trainer.runs().find(id) != null, "placed on the trainer node, not on the dashboard it came to");
        assertTrue(control.runs().find(id) == null && watched.runs().find(id) == null);

        viewer.awaitState(id, "running");
        Wait.until(() -> viewer.lastIteration(id) >= 100, "points of the remote run on the other dashboard");
        // From iteration 0, in order; an update that covers more than a viewer needs is downsampled, as on one node.
        List<Long> seen = viewer.iterations(id);
        assertEquals(0L, seen.get(0));
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) > seen.get(i - 1), "in order: " + seen);
        }

        assertEquals(200, send(control, "POST", "/api/runs/" + id + "/pause", "{}").statusCode());
        viewer.awaitState(id, "paused");
        assertEquals(200, send(control, "POST", "/api/runs/" + id + "/set", "{\"learningRate\": 0.25}").statusCode());
        Wait.until(() -> viewer.ofType("state").stream().anyMatch(s -> id.equals(s.getString("runId"))
                && s.getDouble("learningRate", 0.0) == 0.25), "the new rate seen on the other dashboard");
        long paused = trainer.runs().find(id).history().size();
        assertEquals(200, send(control, "POST", "/api/runs/" + id + "/step", "{}").statusCode());
        Wait.until(() -> viewer.lastIteration(id) == paused, "the step's one point");
        assertEquals(200, send(watched, "POST", "/api/runs/" + id + "/resume", "{}").statusCode());
        viewer.awaitState(id, "running");
        Wait.until(() -> viewer.lastIteration(id) > paused + 50, "training again");

        // A node that joins late gets the run and its whole history.
        Server late = cluster.node(false, true);
        Wait.until(() -> late.runs().find(id) == null && runOrNull(late, id) != null, "the run listed on the late node");
        TestViewer lateViewer = TestViewer.connect(client, late.port());
        try {
            Wait.until(() -> lateViewer.lastIteration(id) > paused + 100, "history and live points on the late node");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; late node holds " + late.cluster().view().find(id).history().size()
                    + ", trainer " + trainer.runs().find(id).history().size() + "; viewer got "
                    + lateViewer.received().stream().map(m -> m.getString("type") + ":" + m.getString("runId") + ":"
                    + m.getString("purpose") + ":" + m.getJsonArray("points", new JsonArray()).size()).toList());
        }
        List<Long> iterations = lateViewer.iterations(id);
        assertEquals(0L, iterations.get(0));

        // Its node leaves: the run reads interrupted everywhere else, within 10 s.
        long left = System.nanoTime();
        cluster.leave(trainerVertx);
        viewer.awaitState(id, "interrupted");
        lateViewer.awaitState(id, "interrupted");
        assertTrue(System.nanoTime() - left < 10_000_000_000L, "interrupted within 10 s");
        Wait.until(() -> "interrupted".equals(runOrNull(control, id).getString("status")), "interrupted on the third node");
        assertTrue(System.nanoTime() - left < 10_000_000_000L, "interrupted within 10 s there too");
        JsonArray listed = new JsonArray(send(control, "GET", "/api/runs", null).body());
        assertEquals(1, listed.stream().filter(r -> id.equals(((JsonObject) r).getString("id"))).count(), "one run, once");
    }

    @Test
    void aSweepStartedFromADashboardTrainsOnTheTrainerAndIsShownThereLabelled() throws Exception {
        Server trainer = cluster.node(true, false);
        Server dashboard = cluster.node(false, true);
        Thread.sleep(2 * ClusterVerticle.HEARTBEAT_MS + 500);
        JsonArray specs = new JsonArray();
        for (double rate : new double[] {0.1, 0.3}) {
            specs.add(Specs.xor(20, 0).put("learningRate", rate));
        }
        HttpResponse<String> started = send(dashboard, "POST", "/api/runs", specs.encode());
        assertEquals(201, started.statusCode(), started.body());
        List<String> ids = new JsonObject(started.body()).getJsonArray("ids").stream().map(String.class::cast).toList();
        assertEquals(2, ids.size(), started.body());
        for (String id : ids) {
            assertTrue(trainer.runs().find(id) != null && dashboard.runs().find(id) == null, "run " + id + " placed on the trainer");
            Wait.until(() -> {
                JsonObject run = runOrNull(dashboard, id);
                return run != null && "finished".equals(run.getString("status"));
            }, "run " + id + " finished, as the dashboard shows it");
            JsonObject run = run(dashboard, id);
            assertEquals(new JsonObject().put("learningRate", run.getJsonObject("spec").getDouble("learningRate")),
                    run.getJsonObject("sweep"), "its sweep label crossed: " + run);
            assertEquals("learningRate=" + run.getJsonObject("spec").getDouble("learningRate"), run.getString("name"));
        }
    }

    @Test
    void finalParametersOfARunTrainedElsewhereAreFetchedFromItsNode() throws Exception {
        Server trainer = cluster.node(true, false);
        Server dashboard = cluster.node(false, true);
        Thread.sleep(2 * ClusterVerticle.HEARTBEAT_MS + 500);
        HttpResponse<String> live = send(dashboard, "POST", "/api/runs", Specs.xor(100_000_000, 0).encode());
        String liveId = new JsonObject(live.body()).getString("id");
        HttpResponse<String> started = send(dashboard, "POST", "/api/runs", Specs.xor(50, 0).encode());
        String id = new JsonObject(started.body()).getString("id");
        assertTrue(trainer.runs().find(id) != null && dashboard.runs().find(id) == null, "placed on the trainer");
        Wait.until(() -> {
            JsonObject run = runOrNull(dashboard, id);
            return run != null && "finished".equals(run.getString("status")) && run.getBoolean("parameters", false);
        }, "the run finished, its parameters kept, as the dashboard shows it");

        HttpResponse<String> fetched = send(dashboard, "GET", "/api/runs/" + id + "/parameters", null);
        assertEquals(200, fetched.statusCode(), fetched.body());
        assertEquals(java.nio.file.Files.readString(trainer.runs().parameters(id)), fetched.body(),
                "the training node's file, byte for byte");
        assertEquals(8, new JsonObject(fetched.body()).getJsonArray("W1").size(), "W1 of [2, 8, 1]: " + fetched.body());
        HttpResponse<String> again = send(dashboard, "GET", "/api/runs/" + id + "/parameters", null);
        assertEquals(fetched.body(), again.body(), "served again from the dashboard's copy");

        HttpResponse<String> none = send(dashboard, "GET", "/api/runs/" + liveId + "/parameters", null);
        assertEquals(404, none.statusCode(), none.body());
        assertTrue(none.body().contains("still running"), none.body());
    }

    private JsonObject runOrNull(Server node, String id) {
        try {
            return run(node, id);
        } catch (Exception e) {
            return null;
        }
    }
}
