package io.trainscope.e2e;

import io.trainscope.testing.TestViewer;
import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server as a real process, killed with SIGKILL mid-run and started again on the same data directory:
 * the run is listed as interrupted and every point a viewer was served is still there, in order, unchanged.
 */
@Timeout(180)
class KillRestartTest {

    private static final Duration WAIT = ServeProcess.WAIT;

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newHttpClient();

    private ServeProcess serve() throws Exception {
        return ServeProcess.start(data, List.of(), List.of("-Xmx256m"), List.of());
    }

    @Test
    void everyPointServedBeforeAKillIsStoredAndTheRunReadsInterrupted() throws Exception {
        ServeProcess first = serve();
        Vertx vertx = Vertx.vertx();
        String id;
        TestViewer viewer;
        try {
            viewer = TestViewer.connect(vertx, first.port);
            JsonObject spec = new JsonObject().put("layers", new JsonArray().add(2).add(16).add(16).add(1))
                    .put("learningRate", 0.3).put("iterations", 10_000_000).put("seed", 7).put("pace", 4000)
                    .put("dataset", new JsonObject().put("name", "circle").put("samples", 200).put("seed", 7));
            HttpResponse<String> created = first.send("POST", "/api/runs", spec.encode());
            assertEquals(201, created.statusCode(), created.body());
            id = new JsonObject(created.body()).getString("id");
            String run = id;
            Wait.until(() -> viewer.lastIteration(run) >= 3000, "the viewer to be served 3000 points", WAIT);
            // Killed while the run trains and the viewer is being served.
            first.process.destroyForcibly();
            assertTrue(first.process.waitFor(30, TimeUnit.SECONDS));
            viewer.awaitClose();
        } finally {
            first.process.destroyForcibly();
            Wait.get(vertx.close());
        }
        long lastServed = viewer.lastIteration(id);
        Map<Long, JsonObject> served = new HashMap<>();
        viewer.points(id).forEach(point -> served.put(point.getLong("iteration"), point));

        ServeProcess second = serve();
        try {
            JsonArray runs = new JsonArray(second.send("GET", "/api/runs", null).body());
            assertEquals(1, runs.size());
            JsonObject run = runs.getJsonObject(0);
            assertEquals(id, run.getString("id"));
            assertEquals("interrupted", run.getString("status"));

            List<String> lines = second.send("GET", "/api/runs/" + id + "/metrics", null).body().lines().toList();
            assertTrue(lines.size() - 1 >= lastServed, "served up to " + lastServed + ", stored " + lines.size());
            assertEquals(lines.size(), run.getLong("iteration"));
            for (int i = 0; i < lines.size(); i++) {
                JsonObject stored = new JsonObject(lines.get(i));
                assertEquals(i, stored.getLong("iteration"), "no gap, in order");
                JsonObject seen = served.get((long) i);
                if (seen != null) {
                    assertEquals(seen, stored, "iteration " + i + " as served and as stored");
                }
            }
            assertTrue(served.keySet().stream().allMatch(i -> i < lines.size()));
            // A clean stop (SIGTERM, as Ctrl-C) ends the process promptly, quietly, having written everything.
            second.process.destroy();
            assertTrue(second.process.waitFor(30, TimeUnit.SECONDS), "serve ends on SIGTERM");
            second.reader.join(WAIT.toMillis());
            String printed = String.join("\n", second.output);
            assertTrue(!printed.contains("Exception") && !printed.contains("longer than"), printed);
        } finally {
            second.process.destroyForcibly();
        }
    }

    /**
     * A run killed mid-training, with nobody ever watching its views, still shows its boundary and network after a
     * restart: they are kept with its parameters every few seconds, not only as a run ends.
     */
    @Test
    void aRunKilledMidTrainingShowsItsBoundaryAndNetworkAfterARestart() throws Exception {
        ServeProcess first = serve();
        String id;
        try {
            JsonObject spec = new JsonObject().put("layers", new JsonArray().add(2).add(8).add(1))
                    .put("learningRate", 0.3).put("iterations", 10_000_000).put("seed", 7).put("pace", 2000)
                    .put("dataset", new JsonObject().put("name", "circle").put("samples", 100).put("seed", 7));
            HttpResponse<String> created = first.send("POST", "/api/runs", spec.encode());
            assertEquals(201, created.statusCode(), created.body());
            id = new JsonObject(created.body()).getString("id");
            String run = id;
            // The parameters are kept every 5 s; the views are written in the same step, before it is reported.
            Wait.until(() -> {
                try {
                    JsonObject info = new JsonObject(first.send("GET", "/api/runs/" + run, null).body());
                    return info.getValue("checkpoint") instanceof JsonObject;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, "a checkpoint of the run", WAIT);
            first.process.destroyForcibly();
            assertTrue(first.process.waitFor(30, TimeUnit.SECONDS));
        } finally {
            first.process.destroyForcibly();
        }

        ServeProcess second = serve();
        Vertx vertx = Vertx.vertx();
        try (TestViewer viewer = TestViewer.connect(vertx, second.port)) {
            viewer.awaitType("hello");
            viewer.send(new JsonObject().put("type", "subscribe").put("runId", id)
                    .put("views", new JsonArray().add("boundary").add("network")));
            String run = id;
            JsonObject boundary = viewer.await(m -> "boundary".equals(m.getString("type")) && run.equals(m.getString("runId")));
            JsonObject network = viewer.await(m -> "network".equals(m.getString("type")) && run.equals(m.getString("runId")));
            assertTrue(boundary.getLong("iteration") > 0, boundary.encode());
            assertEquals(64 * 64, boundary.getJsonArray("values").size());
            assertEquals(boundary.getLong("iteration"), network.getLong("iteration"), "both of the checkpoint");
            assertEquals(new JsonArray().add(2).add(8).add(1), network.getJsonArray("sizes"));
            JsonArray runs = new JsonArray(second.send("GET", "/api/runs", null).body());
            assertEquals("interrupted", runs.getJsonObject(0).getString("status"));
        } finally {
            second.process.destroyForcibly();
            Wait.get(vertx.close());
        }
    }
}
