package io.trainscope.server.web;

import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.testing.Specs;
import io.trainscope.testing.TestViewer;
import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/runs/{id}/gradient-check} and the WebSocket's {@code gradientCheck}: backprop agrees with finite
 * differences on a live run's parameters, the run trains on, and only the control right may ask.
 */
@ExtendWith(VertxExtension.class)
class GradientCheckEndpointTest {

    private static final String TOKEN = "t";
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(int port, String path, String token, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aLiveRunsGradientsAgreeWithFiniteDifferencesAndOnlyControlMayAsk(Vertx vertx) throws Exception {
        Server server = Wait.get(Server.start(vertx, ServerConfig.defaults().withPort(0).withToken(TOKEN)));
        int port = server.port();
        TestViewer controller = TestViewer.connect(vertx, port, "/ws?token=" + TOKEN);
        controller.awaitType("hello");
        String run = controller.start(Specs.xor(100_000_000, 0));
        String path = "/api/runs/" + run + "/gradient-check";

        HttpResponse<String> anonymous = post(port, path, null, null);
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertEquals(403, post(port, path, "wrong", null).statusCode());
        HttpResponse<String> crossSite = post(port, path, TOKEN, "https://evil.example");
        assertEquals(403, crossSite.statusCode(), crossSite.body());
        assertTrue(crossSite.body().contains("origin"), crossSite.body());

        long before = controller.lastIteration(run);
        HttpResponse<String> checked = post(port, path, TOKEN, null);
        assertEquals(200, checked.statusCode(), checked.body());
        JsonObject report = new JsonObject(checked.body());
        assertEquals(run, report.getString("runId"));
        assertTrue(report.getDouble("maxRelativeError") < 1e-7, report::encode);
        assertTrue(report.getBoolean("passed"));
        assertFalse(report.getBoolean("sampled"), "[2, 8, 1] on 64 examples is checked whole");
        JsonArray layers = report.getJsonArray("layers");
        assertEquals(2, layers.size());
        for (int l = 0; l < 2; l++) {
            assertTrue(layers.getJsonObject(l).getDouble("weights") < 1e-7, report::encode);
            assertTrue(layers.getJsonObject(l).getDouble("biases") < 1e-7, report::encode);
        }
        assertTrue(report.getLong("iteration") >= before);
        Wait.until(() -> controller.lastIteration(run) > report.getLong("iteration") + 100, "training goes on");

        TestViewer watcher = TestViewer.connect(vertx, port);
        watcher.awaitType("hello");
        JsonObject refused = watcher.refused(new JsonObject().put("type", "gradientCheck").put("runId", run).encode());
        assertEquals("token", refused.getString("field"));
        controller.send(new JsonObject().put("type", "gradientCheck").put("runId", run));
        JsonObject answer = controller.awaitType("gradientCheck");
        assertTrue(answer.getDouble("maxRelativeError") < 1e-7, answer::encode);

        controller.send(new JsonObject().put("type", "stop").put("runId", run));
        controller.awaitState(run, "stopped");
        HttpResponse<String> ended = post(port, path, TOKEN, null);
        assertEquals(409, ended.statusCode(), ended.body());
        assertTrue(ended.body().contains("stopped"), ended.body());
        assertEquals(404, post(port, "/api/runs/nope/gradient-check", TOKEN, null).statusCode());
    }
}
