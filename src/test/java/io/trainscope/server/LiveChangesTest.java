package io.trainscope.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.nn.StepMetrics;
import io.trainscope.nn.Trainer;
import io.trainscope.run.Training;
import io.trainscope.server.training.Pace;
import io.trainscope.spec.SpecLimits;
import io.trainscope.spec.SpecParser;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.trainscope.testing.Wait.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live changes of a run's learning rate ({@code set}): they apply from the next iteration exactly as a trainer
 * changed by hand at that iteration, reach every viewer, need the control right, refuse bad values by field,
 * and are kept with the stored run.
 */
@ExtendWith(VertxExtension.class)
class LiveChangesTest {

    private static final String TOKEN = "t";

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    private Server start(Vertx vertx, Path dataDir) {
        Server server = Wait.get(Server.start(vertx, ServerConfig.defaults().withPort(0).withToken(TOKEN)
                .withDataDir(dataDir)));
        port = server.port();
        return server;
    }

    private HttpResponse<String> send(String method, String path, String body, boolean token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject set(String runId, Object learningRate) {
        return new JsonObject().put("type", "set").put("runId", runId).put("learningRate", learningRate);
    }

    private static JsonObject control(String type, String runId) {
        return new JsonObject().put("type", type).put("runId", runId);
    }

    /** Sends {@code message} and waits for its ack (or fails with the error it got instead). */
    private static void acked(TestViewer viewer, JsonObject message) {
        String type = message.getString("type");
        int acks = viewer.ofType("ack").size();
        int errors = viewer.ofType("error").size();
        viewer.send(message);
        until(() -> viewer.ofType("ack").size() > acks || viewer.ofType("error").size() > errors, "an answer to " + message);
        assertEquals(errors, viewer.ofType("error").size(), () -> message + " -> " + viewer.ofType("error"));
        assertEquals(type, viewer.ofType("ack").get(acks).getString("request"));
    }

    /** Sends {@code message} and returns the error it gets. */
    private static JsonObject refused(TestViewer viewer, String message) {
        int errors = viewer.ofType("error").size();
        viewer.send(message);
        until(() -> viewer.ofType("error").size() > errors, "an error for " + message);
        return viewer.ofType("error").get(errors);
    }

    private static JsonObject lastState(TestViewer viewer, String runId) {
        List<JsonObject> states = viewer.ofType("state").stream().filter(m -> runId.equals(m.getString("runId"))).toList();
        return states.get(states.size() - 1);
    }

    /** Every stored point, through the REST export. */
    private List<JsonObject> points(String runId) throws Exception {
        return send("GET", "/api/runs/" + runId + "/metrics", null, false).body().lines().map(JsonObject::new).toList();
    }

    /** The run's trainer as the server makes it from {@code spec}, which the server paced. */
    private static Trainer trainer(JsonObject spec) throws Exception {
        ObjectNode json = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(spec.encode());
        json.remove(Pace.FIELD);
        return Training.prepare(SpecParser.parse(json, SpecLimits.DEFAULT, null)).trainer();
    }

    /**
     * Steps a trainer by hand through {@code count} iterations, changing its rate as {@code changes} says, and
     * checks that every point equals the served one exactly.
     */
    private static void assertSameRun(JsonObject spec, JsonArray changes, List<JsonObject> served) throws Exception {
        Trainer trainer = trainer(spec);
        StepMetrics metrics = trainer.newMetrics();
        int next = 0;
        for (JsonObject point : served) {
            if (next < changes.size() && changes.getJsonObject(next).getLong("iteration") == trainer.iteration()) {
                trainer.learningRate(changes.getJsonObject(next++).getDouble("learningRate"));
            }
            trainer.step(metrics);
            assertEquals(metrics.iteration, point.getLong("iteration"));
            assertEquals(metrics.cost, point.getDouble("cost"), () -> "cost at " + point);
            assertEquals(metrics.accuracy, point.getDouble("accuracy"), () -> "accuracy at " + point);
            for (int l = 0; l < metrics.weightNorms.length; l++) {
                assertEquals(metrics.weightNorms[l], point.getJsonArray("weightNorms").getDouble(l));
                assertEquals(metrics.gradientNorms[l], point.getJsonArray("gradientNorms").getDouble(l));
            }
        }
        assertEquals(changes.size(), next, "every change was at a served iteration");
    }

    @Test
    void aStepAfterASetUsesTheNewRateAndEveryViewerSeesTheChange(Vertx vertx) throws Exception {
        start(vertx, null);
        TestViewer controller = TestViewer.connect(vertx, port, "/ws?token=" + TOKEN);
        TestViewer watcher = TestViewer.connect(vertx, port);
        watcher.awaitType("hello");
        JsonObject spec = Specs.xor(1_000_000, 50);
        String id = controller.start(spec);
        until(() -> controller.iterations(id).size() >= 5, "five iterations");
        acked(controller, control("pause", id));
        long at = controller.awaitState(id, "paused").getLong("iteration");

        acked(controller, set(id, 0.05));
        JsonObject changed = watcher.await(m -> "state".equals(m.getString("type")) && id.equals(m.getString("runId"))
                && !m.getJsonArray("changes").isEmpty());
        assertEquals("paused", changed.getString("status"));
        assertEquals(0.05, changed.getDouble("learningRate"));
        assertEquals(new JsonArray().add(new JsonObject().put("iteration", at).put("learningRate", 0.05)),
                changed.getJsonArray("changes"));
        assertEquals(0.5, changed.getJsonObject("spec").getDouble("learningRate"), "the spec stays as it started");

        for (int i = 0; i < 3; i++) {
            acked(controller, control("step", id));
        }
        acked(controller, control("stop", id));
        watcher.awaitState(id, "stopped");
        List<JsonObject> served = points(id);
        assertEquals(at + 3, served.size());
        assertSameRun(spec, changed.getJsonArray("changes"), served);
        // The change made a difference: the same steps at the spec's rate end elsewhere.
        Trainer unchanged = trainer(spec);
        StepMetrics metrics = unchanged.newMetrics();
        for (long i = 0; i < at + 3; i++) {
            unchanged.step(metrics);
        }
        assertNotEquals(metrics.cost, served.get(served.size() - 1).getDouble("cost"));
        assertEquals(0.05, lastState(watcher, id).getDouble("learningRate"));
    }

    @Test
    void aRunningRunsChangesApplyAtTheIterationsTheyRecord(Vertx vertx) throws Exception {
        start(vertx, null);
        TestViewer controller = TestViewer.connect(vertx, port, "/ws?token=" + TOKEN);
        JsonObject spec = Specs.xor(1_000_000, 400);
        String id = controller.start(spec);
        until(() -> controller.iterations(id).size() >= 20, "twenty iterations");
        acked(controller, set(id, 0.05));
        int seen = controller.iterations(id).size();
        until(() -> controller.iterations(id).size() >= seen + 20, "twenty more iterations");
        acked(controller, set(id, 0.2));
        JsonObject changed = controller.await(m -> "state".equals(m.getString("type")) && id.equals(m.getString("runId"))
                && m.getJsonArray("changes").size() == 2);
        assertEquals("running", changed.getString("status"));
        int later = controller.iterations(id).size();
        until(() -> controller.iterations(id).size() >= later + 20, "twenty iterations more");
        acked(controller, control("stop", id));
        JsonObject stopped = controller.awaitState(id, "stopped");
        JsonArray changes = stopped.getJsonArray("changes");
        assertEquals(0.05, changes.getJsonObject(0).getDouble("learningRate"));
        assertEquals(0.2, changes.getJsonObject(1).getDouble("learningRate"));
        assertTrue(changes.getJsonObject(0).getLong("iteration") < changes.getJsonObject(1).getLong("iteration"));
        assertSameRun(spec, changes, points(id));
    }

    @Test
    void aSetNeedsTheControlRightALiveRunAndAGoodRateAndTheErrorNamesTheField(Vertx vertx) throws Exception {
        start(vertx, null);
        TestViewer controller = TestViewer.connect(vertx, port, "/ws?token=" + TOKEN);
        TestViewer watcher = TestViewer.connect(vertx, port);
        watcher.awaitType("hello");
        String id = controller.start(Specs.xor(1_000_000, 50));

        JsonObject readOnly = refused(watcher, set(id, 0.1).encode());
        assertEquals("token", readOnly.getString("field"));
        assertEquals("set", readOnly.getString("request"));
        String prefix = "{\"type\": \"set\", \"runId\": \"" + id + "\"";
        for (String value : List.of("\"abc\"", "\"0.1\"", "-1", "0", "-0.0", "null", "true", "[0.1]", "{}", "1e400",
                "-1e400", "1" + "0".repeat(400))) {
            JsonObject error = refused(controller, prefix + ", \"learningRate\": " + value + "}");
            assertEquals("learningRate", error.getString("field"), value + " -> " + error);
            assertEquals("set", error.getString("request"));
            assertTrue(error.getString("message").contains("learningRate"), error.getString("message"));
        }
        assertEquals("learningRate", refused(controller, prefix + "}").getString("field"));
        assertEquals("runId", refused(controller, set("no-such-run", 0.1).encode()).getString("field"));
        assertEquals("runId", refused(controller, "{\"type\": \"set\", \"learningRate\": 0.1}").getString("field"));

        HttpResponse<String> viaRest = send("POST", "/api/runs/" + id + "/set", "{\"learningRate\": 0.25}", true);
        assertEquals(200, viaRest.statusCode(), viaRest.body());
        assertEquals(0.25, new JsonObject(viaRest.body()).getDouble("learningRate"));
        assertEquals(401, send("POST", "/api/runs/" + id + "/set", "{\"learningRate\": 0.3}", false).statusCode());
        for (String body : List.of("{\"learningRate\": -1}", "{\"learningRate\": \"x\"}", "{}", "[1]", "")) {
            HttpResponse<String> bad = send("POST", "/api/runs/" + id + "/set", body, true);
            assertEquals(400, bad.statusCode(), body + " -> " + bad.body());
            assertEquals("learningRate", new JsonObject(bad.body()).getString("field"), body + " -> " + bad.body());
        }
        assertEquals(400, send("POST", "/api/runs/" + id + "/set", "{nope", true).statusCode());
        assertEquals(404, send("POST", "/api/runs/no-such-run/set", "{\"learningRate\": 0.3}", true).statusCode());
        assertEquals(0.25, new JsonObject(send("GET", "/api/runs/" + id, null, false).body()).getDouble("learningRate"));

        acked(controller, control("stop", id));
        controller.awaitState(id, "stopped");
        JsonObject ended = refused(controller, set(id, 0.1).encode());
        assertEquals("runId", ended.getString("field"));
        assertTrue(ended.getString("message").contains("stopped"), ended.getString("message"));
        assertEquals(409, send("POST", "/api/runs/" + id + "/set", "{\"learningRate\": 0.3}", true).statusCode());
        assertEquals(1, watcher.ofType("error").size(), "errors go to their sender alone");
    }

    @Test
    void theChangesAreKeptWithTheStoredRunAcrossARestart(Vertx vertx) throws Exception {
        Server first = start(vertx, data);
        TestViewer controller = TestViewer.connect(vertx, port, "/ws?token=" + TOKEN);
        String id = controller.start(Specs.xor(1_000_000, 50));
        until(() -> controller.iterations(id).size() >= 3, "three iterations");
        acked(controller, control("pause", id));
        acked(controller, set(id, 0.05));
        acked(controller, set(id, 0.07));
        acked(controller, control("step", id));
        acked(controller, set(id, 0.02));
        acked(controller, control("step", id));
        acked(controller, control("stop", id));
        JsonObject stopped = controller.awaitState(id, "stopped");
        JsonArray changes = stopped.getJsonArray("changes");
        assertEquals(2, changes.size(), "a second set before any step replaces the first: " + changes);
        assertEquals(0.07, changes.getJsonObject(0).getDouble("learningRate"));
        assertEquals(changes.getJsonObject(0).getLong("iteration") + 1, changes.getJsonObject(1).getLong("iteration"));
        assertTrue(Files.readString(data.resolve("runs").resolve(id).resolve("run.json")).contains("\"changes\""));
        controller.close();
        Wait.get(first.stop());

        start(vertx, data);
        JsonObject listed = new JsonObject(send("GET", "/api/runs/" + id, null, false).body());
        assertEquals("stopped", listed.getString("status"));
        assertEquals(changes, listed.getJsonArray("changes"));
        assertEquals(0.02, listed.getDouble("learningRate"));
        assertEquals(0.5, listed.getJsonObject("spec").getDouble("learningRate"));
        TestViewer viewer = TestViewer.connect(vertx, port);
        JsonObject hello = viewer.awaitType("hello");
        assertEquals(changes, hello.getJsonArray("runs").getJsonObject(0).getJsonArray("changes"));
    }
}
