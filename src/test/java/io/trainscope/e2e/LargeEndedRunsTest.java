package io.trainscope.e2e;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large networks run one after another on a small heap (issue 8, item 5). Each ended run used to keep its
 * network (here 2.5 M parameters, 40 MB with its gradients) and its parameters were built as one byte array
 * before being written (another 50-100 MB), so that by the third run the heap was exhausted: parameters.json went
 * unwritten, run.json stayed "running" while the API said "finished", and DELETE answered 500.
 */
@Timeout(300)
class LargeEndedRunsTest {

    static final int RUNS = 5;

    @TempDir
    Path data;

    @Test
    void endedRunsLetTheirNetworkGoAndTheirRecordsAgree() throws Exception {
        try (ServeProcess server = ServeProcess.start(data, List.of(), List.of("-Xmx300m"), List.of())) {
            List<String> ids = new ArrayList<>();
            for (int r = 0; r < RUNS; r++) {
                HttpResponse<String> created = server.send("POST", "/api/runs", "{\"layers\": [4096, 600, 1], "
                        + "\"learningRate\": 0.01, \"iterations\": 5, \"seed\": " + r + ", \"dataset\": {\"name\": "
                        + "\"gaussian\", \"features\": 4096, \"samples\": 16}}");
                assertEquals(201, created.statusCode(), created.body());
                String id = new JsonObject(created.body()).getString("id");
                ids.add(id);
                JsonObject run = untilEnded(server, id);
                assertEquals("finished", run.getString("status"), run::encode);
                assertTrue(run.getBoolean("parameters"), () -> "run " + id + "'s parameters are kept: " + server.printed());
                JsonObject stored = new JsonObject(Files.readString(data.resolve("runs").resolve(id).resolve("run.json")));
                assertEquals("finished", stored.getString("status"), "run.json and the API agree");
                assertTrue(Files.size(data.resolve("runs").resolve(id).resolve("parameters.json")) > 10_000_000);
            }
            for (String id : ids) {
                HttpResponse<String> deleted = server.send("DELETE", "/api/runs/" + id, null);
                assertEquals(200, deleted.statusCode(), deleted.body());
            }
            assertEquals(200, server.send("GET", "/health", null).statusCode());
            assertFalse(server.printed().contains("OutOfMemoryError"), server.printed());
        }
    }

    private static JsonObject untilEnded(ServeProcess server, String id) throws Exception {
        long deadline = System.nanoTime() + ServeProcess.WAIT.toNanos() * 2;
        while (true) {
            JsonObject run = new JsonObject(server.send("GET", "/api/runs/" + id, null).body());
            boolean ended = !run.getString("status").equals("running") && !run.getString("status").equals("paused");
            if (ended && (run.getBoolean("parameters") || !run.getString("status").equals("finished"))
                    || System.nanoTime() > deadline) {
                return run;
            }
            Thread.sleep(100);
        }
    }
}
