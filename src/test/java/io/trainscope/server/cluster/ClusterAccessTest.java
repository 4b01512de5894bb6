package io.trainscope.server.cluster;

import io.trainscope.server.Server;
import io.trainscope.testing.Specs;
import io.trainscope.testing.TestViewer;
import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The token rules hold for runs of other nodes: a dashboard with a token refuses control of a remote run without
 * it (WebSocket and REST), and nothing reaches the run's node; with it, the command acts there.
 */
class ClusterAccessTest {

    private final TestCluster cluster = new TestCluster();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Vertx client = Vertx.vertx();

    @AfterEach
    void close() {
        client.close();
        cluster.close();
    }

    private int post(Server node, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void controlOfARemoteRunNeedsTheDashboardsToken() throws Exception {
        Vertx trainerVertx = cluster.vertx(cluster.config.withTrainer(true));
        Server trainer = cluster.node(trainerVertx, true, true);
        Server guarded = cluster.node(cluster.vertx(cluster.config), false, true, "cluster-token");
        TestViewer starter = TestViewer.connect(client, trainer.port());
        starter.awaitType("hello");
        String id = starter.start(Specs.xor(1_000_000, 200));
        Wait.until(() -> guarded.cluster().view().find(id) != null, "the run on the guarded dashboard");

        TestViewer readOnly = TestViewer.connect(client, guarded.port());
        readOnly.awaitType("hello");
        JsonObject refused = readOnly.refused(new JsonObject().put("type", "pause").put("runId", id).encode());
        assertTrue(refused.getString("message").contains("read-only"), refused.encode());
        JsonObject check = readOnly.refused(new JsonObject().put("type", "gradientCheck").put("runId", id).encode());
        assertTrue(check.getString("message").contains("read-only"), "a gradient check of another node's run: "
                + check.encode());
        assertEquals(401, post(guarded, "/api/runs/" + id + "/gradient-check", null));
        assertEquals(401, post(guarded, "/api/runs/" + id + "/stop", null));
        assertEquals(403, post(guarded, "/api/runs/" + id + "/stop", "wrong-token"));
        Thread.sleep(500);
        assertEquals("running", trainer.runs().find(id).snapshot().status().wire(), "nothing reached its node");

        assertEquals(200, post(guarded, "/api/runs/" + id + "/pause", "cluster-token"));
        Wait.until(() -> trainer.runs().find(id).snapshot().status().wire().equals("paused"), "paused on its node");
    }
}
