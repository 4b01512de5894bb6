package io.trainscope.server;

import io.trainscope.testing.Specs;
import io.trainscope.testing.TestViewer;
import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.trainscope.testing.Wait.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several runs at once (issue 11): fair progress, the queue beyond --max-running, sweeps, and what a restart keeps
 * (queued runs, training time, parameters to continue from, one demo run).
 */
@ExtendWith(VertxExtension.class)
class SeveralRunsTest {

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    private Server start(Vertx vertx, ServerConfig config) {
        Server server = Wait.get(Server.start(vertx, config.withPort(0).withToken("t")));
        port = server.port();
        return server;
    }

    private HttpResponse<String> send(String method, String path, String body, boolean token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token) {
            request.header("Authorization", "Bearer t");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject created(String body) throws Exception {
        HttpResponse<String> created = send("POST", "/api/runs", body, true);
        assertEquals(201, created.statusCode(), created.body());
        return new JsonObject(created.body());
    }

    private JsonObject run(String id) throws Exception {
        return new JsonObject(send("GET", "/api/runs/" + id, null, false).body());
    }

    private JsonArray list() throws Exception {
        return new JsonArray(send("GET", "/api/runs", null, false).body());
    }

    private void awaitStatus(String id, String status) {
        until(() -> {
            try {
                return status.equals(run(id).getString("status"));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, id + " to be " + status);
    }

    private static JsonArray seeds(int n, double pace) {
        JsonArray specs = new JsonArray();
        for (int s = 1; s <= n; s++) {
            specs.add(Specs.xor(100_000_000, pace).put("seed", s));
        }
        return specs;
    }

    @Test
    void fourRunsTrainAtOnceAndProgressFairly(Vertx vertx) throws Exception {
        start(vertx, ServerConfig.defaults());
        JsonObject started = created(seeds(4, 0).encode());
        List<String> ids = started.getJsonArray("ids").stream().map(String.class::cast).toList();
        assertEquals(4, ids.size());
        for (String id : ids) {
            awaitStatus(id, "running");
        }
        until(() -> ids.stream().allMatch(id -> {
            try {
                return run(id).getLong("iteration") > 1000;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }), "every run to have trained");
        long[] before = iterations(ids);
        Thread.sleep(3000);
        long[] after = iterations(ids);
        long least = Long.MAX_VALUE;
        long most = 0;
        for (int i = 0; i < ids.size(); i++) {
            long trained = after[i] - before[i];
            least = Math.min(least, trained);
            most = Math.max(most, trained);
        }
        assertTrue(least > 0 && least >= 0.8 * most, "in 3 s the four runs trained between " + least + " and " + most
                + " iterations: not within 20% of each other");
    }

    private long[] iterations(List<String> ids) throws Exception {
        // One listing: the four counts read at the same moment.
        long[] counts = new long[ids.size()];
        for (Object listed : list()) {
            JsonObject run = (JsonObject) listed;
            int at = ids.indexOf(run.getString("id"));
            if (at >= 0) {
                counts[at] = run.getLong("iteration");
            }
        }
        return counts;
    }

    @Test
    void aSweepIsNamedAfterWhatDiffersAndLabelled(Vertx vertx) throws Exception {
        start(vertx, ServerConfig.defaults());
        JsonArray specs = new JsonArray();
        for (double rate : new double[] {0.01, 0.03, 0.1, 0.3}) {
            specs.add(Specs.xor(20, 0).put("learningRate", rate));
        }
        List<String> ids = created(specs.encode()).getJsonArray("ids").stream().map(String.class::cast).toList();
        List<String> names = new ArrayList<>();
        for (String id : ids) {
            JsonObject run = run(id);
            names.add(run.getString("name"));
            assertEquals(new JsonObject().put("learningRate", run.getJsonObject("spec").getDouble("learningRate")),
                    run.getJsonObject("sweep"));
        }
        assertEquals(List.of("learningRate=0.01", "learningRate=0.03", "learningRate=0.1", "learningRate=0.3"), names);
    }

    @Test
    void aSweepStartsWholeOrNotAtAllAndNeedsTheToken(Vertx vertx) throws Exception {
        start(vertx, ServerConfig.defaults());
        JsonArray specs = seeds(3, 10);
        specs.getJsonObject(1).put("learningRate", "fast");
        HttpResponse<String> refused = send("POST", "/api/runs", specs.encode(), true);
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals("[1].learningRate", new JsonObject(refused.body()).getString("field"));
        HttpResponse<String> notSpecs = send("POST", "/api/runs", "[{\"layers\": [2, 1]}, 3]", true);
        assertEquals(400, notSpecs.statusCode());
        assertEquals("[1]", new JsonObject(notSpecs.body()).getString("field"), notSpecs.body());
        assertEquals(400, send("POST", "/api/runs", "[]", true).statusCode());
        assertTrue(new JsonObject(send("POST", "/api/runs", seeds(33, 10).encode(), true).body()).getString("error")
                .contains("at most 32"));
        assertEquals(401, send("POST", "/api/runs", seeds(2, 10).encode(), false).statusCode());
        assertEquals(0, list().size(), "nothing was started");

        TestViewer watcher = TestViewer.connect(vertx, port);
        watcher.awaitType("hello");
        watcher.send(new JsonObject().put("type", "start").put("specs", seeds(2, 10)));
        assertEquals("token", watcher.awaitType("error").getString("field"));
        TestViewer controller = TestViewer.connect(vertx, port, "/ws?token=t");
        controller.awaitType("hello");
        controller.send(new JsonObject().put("type", "start").put("specs", seeds(2, 10)));
        JsonObject ack = controller.awaitType("ack");
        assertEquals(2, ack.getJsonArray("runIds").size());
        assertEquals(2, list().size());
    }

    @Test
    void beyondTheLimitRunsWaitQueuedAndStartWhenASlotFrees(Vertx vertx) throws Exception {
        start(vertx, ServerConfig.defaults().withSlots(2, 2));
        String first = created(Specs.xor(100_000_000, 20).encode()).getString("id");
        String second = created(Specs.xor(100_000_000, 20).encode()).getString("id");
        JsonObject third = created(Specs.xor(100_000_000, 20).encode());
        assertEquals("queued", third.getString("status"));
        String fourth = created(Specs.xor(100_000_000, 20).encode()).getString("id");
        HttpResponse<String> full = send("POST", "/api/runs", Specs.xor(10, 0).encode(), true);
        assertEquals(409, full.statusCode());
        assertTrue(new JsonObject(full.body()).getString("error").contains("--max-queued"), full.body());
        HttpResponse<String> pause = send("POST", "/api/runs/" + fourth + "/pause", null, true);
        assertEquals(409, pause.statusCode());
        assertTrue(new JsonObject(pause.body()).getString("error").contains("has not started"), pause.body());
        assertEquals("running", run(second).getString("status"));

        assertEquals(200, send("POST", "/api/runs/" + first + "/stop", null, true).statusCode());
        awaitStatus(third.getString("id"), "running");
        assertEquals("queued", run(fourth).getString("status"), "one slot freed, one run left the queue");
        assertEquals(200, send("POST", "/api/runs/" + fourth + "/stop", null, true).statusCode());
        JsonObject stopped = run(fourth);
        assertEquals("stopped", stopped.getString("status"));
        assertEquals(0, stopped.getLong("iteration"));
        assertEquals(200, send("DELETE", "/api/runs/" + fourth, null, true).statusCode());
    }

    @Test
    void queuedRunsWaitAgainAfterARestart(Vertx vertx) throws Exception {
        Server server = start(vertx, ServerConfig.defaults().withSlots(1, 2).withDataDir(data));
        created(Specs.xor(100_000_000, 20).encode());
        String queued = created(Specs.xor(100_000_000, 20).put("name", "waiting").encode()).getString("id");
        assertEquals("queued", run(queued).getString("status"));
        Wait.get(server.stop());

        // The run that trained is interrupted now, which frees its slot: the queued one takes it.
        start(vertx, ServerConfig.defaults().withSlots(1, 2).withDataDir(data));
        awaitStatus(queued, "running");
        assertEquals("waiting", run(queued).getString("name"));
    }

    @Test
    void trainingTimeDoesNotGrowAcrossARestart(Vertx vertx) throws Exception {
        Server server = start(vertx, ServerConfig.defaults().withDataDir(data));
        String id = created(Specs.xor(100_000_000, 100).encode()).getString("id");
        until(() -> {
            try {
                return run(id).getLong("elapsedMs") > 500;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "half a second of training");
        assertEquals(200, send("POST", "/api/runs/" + id + "/pause", null, true).statusCode());
        long paused = run(id).getLong("elapsedMs");
        Thread.sleep(1500);
        assertEquals(200, send("POST", "/api/runs/" + id + "/stop", null, true).statusCode());
        awaitStatus(id, "stopped");
        long stopped = run(id).getLong("elapsedMs");
        assertTrue(stopped - paused < 200, "paused at " + paused + " ms, stopped at " + stopped + " ms");
        Wait.get(server.stop());

        start(vertx, ServerConfig.defaults().withDataDir(data));
        assertEquals(stopped, run(id).getLong("elapsedMs"));
    }

    @Test
    void anInterruptedRunContinuesFromItsLastKeptParametersAtItsLastLiveRate(Vertx vertx) throws Exception {
        Server server = start(vertx, ServerConfig.defaults().withDataDir(data).withKeepMillis(200));
        String id = created(Specs.xor(100_000_000, 200).encode()).getString("id");
        assertEquals(200, send("POST", "/api/runs/" + id + "/set", "{\"learningRate\": 0.25}", true).statusCode());
        long changedAt = run(id).getJsonArray("changes").getJsonObject(0).getLong("iteration");
        until(() -> {
            try {
                JsonObject kept = run(id).getJsonObject("checkpoint");
                return kept != null && kept.getLong("iteration") > changedAt;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "parameters kept after the change", Duration.ofSeconds(20));
        Wait.get(server.stop());

        start(vertx, ServerConfig.defaults().withDataDir(data));
        JsonObject interrupted = run(id);
        assertEquals("interrupted", interrupted.getString("status"));
        JsonObject kept = interrupted.getJsonObject("checkpoint");
        assertNotNull(kept, interrupted.encode());
        assertEquals(0.25, kept.getDouble("learningRate"));

        JsonObject spec = interrupted.getJsonObject("spec").copy().put("startFrom", id).put("iterations", 50);
        spec.remove("learningRate");
        String next = created(spec.encode()).getString("id");
        JsonObject continued = run(next);
        assertEquals(new JsonObject().put("runId", id).put("iteration", kept.getLong("iteration")),
                continued.getJsonObject("spec").getJsonObject("startFrom"));
        assertEquals(0.25, continued.getDouble("learningRate"), "the last live rate, not the spec's 0.5");
        assertFalse(continued.getJsonObject("spec").containsKey("initialParameters"));

        HttpResponse<String> nobody = send("POST", "/api/runs", Specs.xor(5, 0).put("startFrom", "nope").encode(), true);
        assertEquals(400, nobody.statusCode());
        assertEquals("startFrom", new JsonObject(nobody.body()).getString("field"));
    }

    @Test
    void theDemoIsOneRunAcrossRestarts(Vertx vertx) throws Exception {
        for (int restart = 0; restart < 3; restart++) {
            Server server = start(vertx, ServerConfig.defaults().withDataDir(data));
            Wait.get(Demo.restart(vertx, server.runs()));
            long demos = list().stream().filter(r -> "demo: spiral".equals(((JsonObject) r).getString("name"))).count();
            assertEquals(1, demos, "after start " + (restart + 1));
            Wait.get(server.stop());
        }
    }
}
