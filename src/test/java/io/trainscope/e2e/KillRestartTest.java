package io.trainscope.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
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

    /** A viewer over a real WebSocket that keeps every point it is served, by iteration. */
    private static final class Viewer implements WebSocket.Listener {
        final Map<Long, JsonObject> served = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();
        volatile long last = -1;

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence text, boolean whole) {
            partial.append(text);
            if (whole) {
                JsonObject message = new JsonObject(partial.toString());
                partial.setLength(0);
                String type = message.getString("type");
                if ("metrics".equals(type) || "history".equals(type)) {
                    JsonArray points = message.getJsonArray("points");
                    for (int i = 0; i < points.size(); i++) {
                        JsonObject point = points.getJsonObject(i);
                        long iteration = point.getLong("iteration");
                        served.put(iteration, point);
                        last = Math.max(last, iteration);
                    }
                }
            }
            socket.request(1);
            return null;
        }
    }

    @Test
    void everyPointServedBeforeAKillIsStoredAndTheRunReadsInterrupted() throws Exception {
        ServeProcess first = serve();
        Viewer viewer = new Viewer();
        String id;
        try {
            WebSocket socket = http.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + first.port + "/ws"), viewer)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            JsonObject spec = new JsonObject().put("layers", new JsonArray().add(2).add(16).add(16).add(1))
                    .put("learningRate", 0.3).put("iterations", 10_000_000).put("seed", 7).put("pace", 4000)
                    .put("dataset", new JsonObject().put("name", "circle").put("samples", 200).put("seed", 7));
            HttpResponse<String> created = first.send("POST", "/api/runs", spec.encode());
            assertEquals(201, created.statusCode(), created.body());
            id = new JsonObject(created.body()).getString("id");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (viewer.last < 3000 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(viewer.last >= 3000, "the viewer was served up to " + viewer.last);
            // Killed while the run trains and the viewer is being served.
            first.process.destroyForcibly();
            assertTrue(first.process.waitFor(30, TimeUnit.SECONDS));
            socket.abort();
        } finally {
            first.process.destroyForcibly();
        }
        long lastServed = viewer.last;
        Map<Long, JsonObject> served = Map.copyOf(viewer.served);

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
}
