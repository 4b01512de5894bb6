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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.trainscope.testing.Wait.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs kept under a data directory: listed after a restart, renamed, deleted, exported, restarted from. */
@ExtendWith(VertxExtension.class)
class StoredRunsTest {

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    private Server start(Vertx vertx, String token) {
        Server server = Wait.get(Server.start(vertx, ServerConfig.defaults().withPort(0).withMaxRunning(2)
                .withToken(token).withDataDir(data)));
        port = server.port();
        return server;
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String startRun(JsonObject spec) throws Exception {
        HttpResponse<String> created = send("POST", "/api/runs", spec.encode(), "t");
        assertEquals(201, created.statusCode(), created.body());
        return new JsonObject(created.body()).getString("id");
    }

    private JsonObject run(String id) throws Exception {
        return new JsonObject(send("GET", "/api/runs/" + id, null, null).body());
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

    @Test
    void aFinishedRunIsListedAfterARestartWithItsPointsNameAndParameters(Vertx vertx) throws Exception {
        Server first = start(vertx, "t");
        String id = startRun(Specs.xor(1500, 0));
        awaitStatus(id, "finished");
        assertTrue(run(id).getBoolean("parameters"));
        assertEquals(200, send("PATCH", "/api/runs/" + id, "{\"name\": \"baseline\"}", "t").statusCode());
        assertEquals(401, send("PATCH", "/api/runs/" + id, "{\"name\": \"x\"}", null).statusCode());
        assertEquals(400, send("PATCH", "/api/runs/" + id, "{\"name\": 3}", "t").statusCode());
        List<String> before = send("GET", "/api/runs/" + id + "/metrics", null, null).body().lines().toList();
        String parameters = send("GET", "/api/runs/" + id + "/parameters", null, null).body();
        Wait.get(first.stop());

        start(vertx, "t");
        JsonArray runs = new JsonArray(send("GET", "/api/runs", null, null).body());
        assertEquals(1, runs.size());
        JsonObject listed = runs.getJsonObject(0);
        assertEquals(id, listed.getString("id"));
        assertEquals("finished", listed.getString("status"));
        assertEquals("baseline", listed.getString("name"));
        assertEquals(1500, listed.getLong("iteration"));
        assertTrue(Double.isFinite(listed.getDouble("cost")));
        assertEquals(before, send("GET", "/api/runs/" + id + "/metrics", null, null).body().lines().toList());
        List<String> rows = send("GET", "/api/runs/" + id + "/metrics?format=csv", null, null).body().lines().toList();
        assertEquals(1501, rows.size());
        for (int i = 0; i < before.size(); i += 97) {
            JsonObject point = new JsonObject(before.get(i));
            String[] cells = rows.get(i + 1).split(",", -1);
            assertEquals(point.getLong("iteration"), Long.parseLong(cells[0]));
            assertEquals(point.getDouble("cost"), Double.parseDouble(cells[1]));
        }
        HttpResponse<String> kept = send("GET", "/api/runs/" + id + "/parameters", null, null);
        assertEquals(200, kept.statusCode());
        assertEquals(parameters, kept.body());
        JsonObject weights = new JsonObject(parameters);
        assertEquals(8, weights.getJsonArray("W1").size());
        assertEquals(2, weights.getJsonArray("W1").getJsonArray(0).size());

        // A new run starts from them with the old run's spec as listed, as the page does: its first cost is the old
        // run's last.
        String next = startRun(listed.getJsonObject("spec").copy().put("iterations", 10).put("initialParameters", weights));
        awaitStatus(next, "finished");
        JsonObject firstPoint = new JsonObject(send("GET", "/api/runs/" + next + "/metrics", null, null).body()
                .lines().findFirst().orElseThrow());
        double lastCost = new JsonObject(before.get(before.size() - 1)).getDouble("cost");
        assertEquals(lastCost, firstPoint.getDouble("cost"), Math.abs(lastCost) * 0.2);
    }

    @Test
    void deleteNeedsControlIsRefusedWhileTrainingAndTellsEveryViewer(Vertx vertx) throws Exception {
        start(vertx, "t");
        String live = startRun(Specs.xor(10_000_000, 50));
        HttpResponse<String> refused = send("DELETE", "/api/runs/" + live, null, "t");
        assertEquals(409, refused.statusCode());
        assertTrue(new JsonObject(refused.body()).getString("error").contains("stop it"), refused.body());
        assertEquals(401, send("DELETE", "/api/runs/" + live, null, null).statusCode());

        TestViewer watcher = TestViewer.connect(vertx, port);
        TestViewer controller = TestViewer.connect(vertx, port, "/ws?token=t");
        watcher.awaitType("hello");
        controller.send(new JsonObject().put("type", "rename").put("runId", live).put("name", "long one"));
        watcher.await(m -> "state".equals(m.getString("type")) && "long one".equals(m.getString("name")));
        watcher.send(new JsonObject().put("type", "delete").put("runId", live));
        assertEquals("token", watcher.awaitType("error").getString("field"));

        assertEquals(200, send("POST", "/api/runs/" + live + "/stop", null, "t").statusCode());
        awaitStatus(live, "stopped");
        Path folder = data.resolve("runs").resolve(live);
        assertTrue(Files.isDirectory(folder));
        controller.send(new JsonObject().put("type", "delete").put("runId", live));
        watcher.await(m -> "deleted".equals(m.getString("type")) && live.equals(m.getString("runId")));
        assertFalse(Files.exists(folder));
        assertEquals(404, send("GET", "/api/runs/" + live, null, null).statusCode());
        assertEquals(0, new JsonArray(send("GET", "/api/runs", null, null).body()).size());
    }
}
