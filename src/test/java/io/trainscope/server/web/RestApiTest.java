package io.trainscope.server.web;

import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.testing.Specs;
import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static io.trainscope.testing.Wait.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REST API over real HTTP, on a random port. */
@ExtendWith(VertxExtension.class)
class RestApiTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    @BeforeEach
    void start(Vertx vertx) {
        port = Wait.get(Server.start(vertx, ServerConfig.defaults().withPort(0).withToken("s3cret").withSlots(1, 0))).port();
    }

    private HttpResponse<String> send(String method, String path, String body, boolean token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token) {
            request.header("Authorization", "Bearer s3cret");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null, false);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, body, true);
    }

    private String startXor(long iterations, double pace) throws Exception {
        HttpResponse<String> created = post("/api/runs", Specs.xor(iterations, pace).encode());
        assertEquals(201, created.statusCode(), created.body());
        return new JsonObject(created.body()).getString("id");
    }

    private String status(String id) throws Exception {
        return new JsonObject(get("/api/runs/" + id).body()).getString("status");
    }

    @Test
    void healthAnswersOk() throws Exception {
        assertEquals(200, get("/health").statusCode());
    }

    @Test
    void startListGetAndStop() throws Exception {
        String id = startXor(10_000_000, 100);
        JsonArray runs = new JsonArray(get("/api/runs").body());
        assertEquals(id, runs.getJsonObject(0).getString("id"));
        assertEquals("running", runs.getJsonObject(0).getString("status"));
        assertEquals(8, runs.getJsonObject(0).getJsonObject("spec").getJsonArray("layers").getInteger(1));
        assertEquals(100.0, runs.getJsonObject(0).getJsonObject("spec").getDouble("pace"));

        HttpResponse<String> paused = post("/api/runs/" + id + "/pause", null);
        assertEquals(200, paused.statusCode(), paused.body());
        long at = new JsonObject(paused.body()).getLong("iteration");
        HttpResponse<String> stepped = post("/api/runs/" + id + "/step", null);
        assertEquals(at + 1, new JsonObject(stepped.body()).getLong("iteration"));
        assertEquals("paused", status(id));
        assertEquals(200, post("/api/runs/" + id + "/resume", null).statusCode());
        assertEquals("running", status(id));
        HttpResponse<String> stopped = post("/api/runs/" + id + "/stop", null);
        assertEquals("stopped", new JsonObject(stopped.body()).getString("status"));
        HttpResponse<String> again = post("/api/runs/" + id + "/stop", null);
        assertEquals(409, again.statusCode());
        assertTrue(new JsonObject(again.body()).getString("error").contains("stopped"));
    }

    @Test
    void metricsAsJsonLinesAndCsvAgree() throws Exception {
        String id = startXor(1500, 0);
        until(() -> {
            try {
                return "finished".equals(status(id));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "the run to finish");
        List<String> lines = get("/api/runs/" + id + "/metrics").body().lines().toList();
        List<String> rows = get("/api/runs/" + id + "/metrics?format=csv").body().lines().toList();
        assertEquals(1500, lines.size());
        assertEquals(1501, rows.size());
        assertEquals("iteration,cost,accuracy,weightNorm1,weightNorm2,gradientNorm1,gradientNorm2,learningRate,"
                + "updateRatio1,updateRatio2,deadFraction1", rows.get(0));
        for (int i = 0; i < lines.size(); i++) {
            JsonObject point = new JsonObject(lines.get(i));
            String[] cells = rows.get(i + 1).split(",", -1);
            assertEquals(i, point.getLong("iteration"));
            assertEquals(String.valueOf(i), cells[0]);
            assertEquals(point.getDouble("cost"), Double.parseDouble(cells[1]));
            assertEquals(point.getDouble("accuracy"), Double.parseDouble(cells[2]));
            assertEquals(point.getJsonArray("weightNorms").getDouble(1), Double.parseDouble(cells[4]));
            assertEquals(point.getJsonArray("gradientNorms").getDouble(0), Double.parseDouble(cells[5]));
            assertEquals(0.5, point.getDouble("learningRate"), "the rate of the iteration's update");
            assertEquals(0.5, Double.parseDouble(cells[7]));
        }
    }

    @Test
    void badRequestsAreAnsweredWithJsonErrors() throws Exception {
        record Case(String method, String path, String body, boolean token, int status, String field) {
        }
        String id = startXor(10_000_000, 10);
        List<Case> cases = List.of(
                new Case("POST", "/api/runs", "{not json", true, 400, null),
                new Case("POST", "/api/runs", "[1, 2]", true, 400, "[0]"),
                new Case("POST", "/api/runs", "7", true, 400, null),
                new Case("POST", "/api/runs", "", true, 400, null),
                new Case("POST", "/api/runs", "{\"layers\": [2, 1], \"learningRate\": -1, \"iterations\": 3,"
                        + " \"dataset\": {\"name\": \"xor\"}}", true, 400, "learningRate"),
                new Case("POST", "/api/runs", Specs.xor(5, 0).encode(), true, 409, null),
                new Case("POST", "/api/runs", Specs.xor(5, 0).encode(), false, 401, null),
                new Case("POST", "/api/runs/" + id + "/stop", null, false, 401, null),
                new Case("GET", "/api/runs/nope", null, false, 404, null),
                new Case("GET", "/api/runs/nope/metrics", null, false, 404, null),
                new Case("GET", "/api/runs/" + id + "/metrics?format=xml", null, false, 400, "format"),
                new Case("POST", "/api/runs/nope/stop", null, true, 404, null),
                new Case("POST", "/api/runs/" + id + "/explode", null, true, 404, null),
                new Case("POST", "/api/runs/" + id + "/resume", null, true, 409, null),
                new Case("GET", "/api/nothing", null, false, 404, null));
        for (Case c : cases) {
            HttpResponse<String> response = send(c.method(), c.path(), c.body(), c.token());
            assertEquals(c.status(), response.statusCode(), c + " -> " + response.body());
            JsonObject error = new JsonObject(response.body());
            assertTrue(!error.getString("error").isBlank(), c.toString());
            if (c.field() == null) {
                assertNull(error.getString("field"), c + " -> " + response.body());
            } else {
                assertEquals(c.field(), error.getString("field"), c + " -> " + response.body());
            }
        }
        assertEquals("running", status(id));
    }
}
