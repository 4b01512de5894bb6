package io.trainscope.server.access;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.trainscope.server.access.Clients.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One strict reader for everything clients send (issue 8, low items): a duplicate key ({@code "learningRate":0.1,
 * "learningRate":100} trained at 100) and trailing content are refused over REST and WebSocket alike, and a name
 * holding a lone surrogate is refused before anything is stored (it gave a 500 and left an empty run folder).
 */
@ExtendWith(VertxExtension.class)
class StrictInputTest {

    static final String DUPLICATE = "{\"layers\": [2, 8, 1], \"learningRate\": 0.1, \"learningRate\": 100, "
            + "\"iterations\": 10, \"dataset\": {\"name\": \"xor\"}}";
    static final String LONE = "{\"layers\": [2, 8, 1], \"learningRate\": 0.1, \"iterations\": 10, "
            + "\"dataset\": {\"name\": \"xor\"}, \"name\": \"half \\ud800 a pair\"}";

    @TempDir
    Path data;

    @Test
    void duplicateKeysTrailingContentAndLoneSurrogatesAreRefusedEverywhere(Vertx vertx) throws Exception {
        Scene scene = Scene.start(vertx, data, null, SecurityConfig.DEFAULT);
        List<String> before = folders();

        Clients.Reply duplicate = scene.clients.post("/api/runs", Map.of(), DUPLICATE);
        assertEquals(400, duplicate.status());
        assertTrue(duplicate.json().getString("error").contains("Duplicate field 'learningRate'"), duplicate.body()::toString);
        assertEquals(400, scene.clients.post("/api/runs", Map.of(), spec(10, 0) + " {\"more\": 1}").status(),
                "trailing content");
        assertEquals(400, scene.clients.post("/api/runs/" + scene.live + "/set", Map.of(),
                "{\"learningRate\": 0.1, \"learningRate\": 1000}").status());
        Clients.Reply lone = scene.clients.post("/api/runs", Map.of(), LONE);
        assertEquals(400, lone.status(), lone.body()::toString);
        assertEquals("name", lone.json().getString("field"));
        Clients.Reply rename = scene.clients.http(HttpMethod.PATCH, "/api/runs/" + scene.finished, Map.of(),
                "{\"name\": \"\\udc00\"}");
        assertEquals(400, rename.status(), rename.body()::toString);

        Clients.Viewer viewer = scene.clients.viewer("/ws");
        viewer.next("hello");
        JsonObject wsDuplicate = viewer.refused("{\"type\": \"start\", \"spec\": " + DUPLICATE + "}");
        assertTrue(wsDuplicate.getString("message").contains("Duplicate field"), wsDuplicate::encode);
        JsonObject wsDoubleType = viewer.refused("{\"type\": \"stop\", \"type\": \"start\", \"runId\": \"x\"}");
        assertTrue(wsDoubleType.getString("message").contains("Duplicate field 'type'"), wsDoubleType::encode);
        JsonObject trailing = viewer.refused("{\"type\": \"pause\", \"runId\": \"" + scene.live + "\"} []");
        assertTrue(trailing.getString("message").startsWith("malformed JSON"), trailing::encode);
        JsonObject wsLone = viewer.refused("{\"type\": \"start\", \"spec\": " + LONE + "}");
        assertEquals("name", wsLone.getString("field"), wsLone::encode);
        JsonObject wsRename = viewer.refused("{\"type\": \"rename\", \"runId\": \"" + scene.finished
                + "\", \"name\": \"\\ud83d\"}");
        assertEquals("name", wsRename.getString("field"), wsRename::encode);

        assertEquals(before, folders(), "nothing was stored for a refused start");
        JsonObject live = scene.clients.get("/api/runs/" + scene.live, Map.of()).json();
        assertEquals("running", live.getString("status"), "the trailing pause was not acted on");
        assertEquals(0.5, live.getDouble("learningRate"));
        assertEquals(200, scene.clients.http(HttpMethod.PATCH, "/api/runs/" + scene.finished, Map.of(),
                "{\"name\": \"a whole pair \\ud83d\\ude00\"}").status(), "a surrogate pair is a character like any other");
        scene.assertIntact();
    }

    private List<String> folders() throws Exception {
        try (Stream<Path> runs = Files.list(data.resolve("runs"))) {
            return runs.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
