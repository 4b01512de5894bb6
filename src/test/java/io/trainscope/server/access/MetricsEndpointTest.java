package io.trainscope.server.access;

import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.web.ServerMetrics;
import io.trainscope.testing.TestViewer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;
import java.util.Map;

import static io.trainscope.server.access.Clients.await;
import static io.trainscope.server.access.Clients.bearer;
import static io.trainscope.server.access.Clients.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /metrics}: the Prometheus text format, every name {@code trainscope_}, the documented meters. */
@ExtendWith(VertxExtension.class)
class MetricsEndpointTest {

    @Test
    void runsViewersMessagesAndHistoryAreCounted(Vertx ignored) throws InterruptedException {
        ServerMetrics metrics = new ServerMetrics();
        // Built as `serve` builds it, so that Vert.x's own meters are in the registry too.
        Vertx vertx = ServerMetrics.vertx(new VertxOptions(), metrics);
        try {
            Server server = await(Server.start(vertx, ServerConfig.defaults().withPort(0).withToken("t"),
                    SecurityConfig.DEFAULT, metrics));
            Clients clients = new Clients(vertx, server.port(), false);
            TestViewer viewer = clients.viewer("/ws?token=t");
            viewer.next("hello");
            viewer.send("{\"type\": \"start\", \"spec\": " + spec(3, 0) + "}");
            String finished = viewer.next("ack").getString("runId");
            while (!"finished".equals(clients.get("/api/runs/" + finished, Map.of()).json().getString("status"))) {
                Thread.sleep(50);
            }
            String live = clients.post("/api/runs", bearer("t"), spec(1_000_000, 5)).json().getString("id");
            clients.viewer("/ws").next("history");
            viewer.send("{\"type\": \"history\", \"runId\": \"" + finished + "\"}");
            viewer.next("history");
            assertEquals(401, clients.post("/api/runs", Map.of(), spec(3, 0)).status());
            clients.get("/api/runs/" + finished + "/metrics", Map.of());

            Clients.Reply reply = clients.get("/metrics", Map.of());
            assertEquals(200, reply.status());
            assertTrue(reply.headers().get("Content-Type").startsWith("text/plain"), reply.headers()::toString);
            String text = reply.body().toString();
            String[] samples = Arrays.stream(text.split("\n")).filter(l -> !l.startsWith("#") && !l.isBlank())
                    .toArray(String[]::new);
            for (String sample : samples) {
                assertTrue(sample.startsWith("trainscope_"), () -> "[" + sample + "] in " + text);
            }
            assertTrue(text.contains("trainscope_runs{status=\"finished\"} 1.0"), text);
            assertTrue(text.contains("trainscope_runs{status=\"running\"} 1.0"), text);
            assertTrue(text.contains("trainscope_viewers 2.0"), text);
            assertTrue(text.contains("trainscope_matrix_products_info{kernels=\"" + io.trainscope.nn.Kernels.description()
                    + "\"} 1"), text);
            assertTrue(text.contains("trainscope_run_iteration{run=\"" + live + "\"}"), text);
            assertTrue(text.contains("trainscope_run_cost{run=\"" + live + "\"}"), text);
            assertTrue(text.contains("trainscope_run_iterations_per_second{run=\"" + live + "\"}"), text);
            assertTrue(text.contains("trainscope_iterations_per_second "), text);
            assertTrue(text.contains("trainscope_history_requests_total{purpose=\"request\"} 1.0"), text);
            assertTrue(text.contains("trainscope_history_requests_total{purpose=\"export\"} 1.0"), text);
            assertTrue(text.contains("trainscope_history_requests_total{purpose=\"join\"}"), text);
            assertTrue(text.contains("trainscope_refused_total{reason=\"token\"} 1.0"), text);
            assertTrue(text.contains("trainscope_messages_dropped_total 0.0"), text);
            assertTrue(!text.contains("trainscope_run_iteration{run=\"" + finished + "\"}"), "only live runs have rows");
            double sentCount = Arrays.stream(samples).filter(s -> s.startsWith("trainscope_messages_sent_total "))
                    .mapToDouble(s -> Double.parseDouble(s.substring(s.indexOf(' ') + 1))).sum();
            assertTrue(sentCount >= 5, "hello, viewers, state, ack, history… at least; got " + sentCount);
            assertTrue(text.contains("trainscope_vertx_http_server_requests_total"), "Vert.x's own meters, prefixed");
            assertEquals(200, clients.post("/api/runs/" + live + "/stop", bearer("t"), "").status());
        } finally {
            await(vertx.close());
        }
    }
}
