package io.trainscope.server.access;

import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.ServerMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.trainscope.server.access.Clients.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invented HTTP methods (issue 8, item 3): each distinct one used to become a Prometheus label value, a meter
 * kept forever, so that 50,000 of them filled a 128 MB heap. Now they are all {@code OTHER}.
 */
@ExtendWith(VertxExtension.class)
class MetricLabelsTest {

    @TempDir
    Path data;

    @Test
    void inventedMethodsAddNoLabelValues(Vertx ignored) throws Exception {
        ServerMetrics metrics = new ServerMetrics();
        // Built as `serve` builds it, so that Vert.x's HTTP meters (whose labels a client steers) are in the registry.
        Vertx vertx = ServerMetrics.vertx(new VertxOptions(), metrics);
        try {
            Scene scene = Scene.start(vertx, ServerConfig.defaults().withPort(0).withDataDir(data).withMaxRunning(2),
                    SecurityConfig.DEFAULT, metrics);
            try (RawHttp raw = new RawHttp(scene.server.port())) {
                for (int i = 0; i < 50; i++) {
                    raw.send(String.format("X%06dZZ /health HTTP/1.1\r\nHost: localhost\r\n\r\n", i));
                    raw.status();
                }
            }
            long before = lines(scene.clients);
            try (RawHttp raw = new RawHttp(scene.server.port())) {
                for (int i = 50; i < 2050; i++) {
                    raw.send(String.format("X%06dZZ /health HTTP/1.1\r\nHost: localhost\r\n\r\n", i));
                    raw.status();
                }
            }
            String text = scene.clients.get("/metrics", Map.of()).body().toString();
            long after = text.lines().count();
            System.out.println("/metrics: " + before + " lines after 50 invented methods, " + after + " after 2,050");
            assertTrue(after < before + 20, before + " lines, then " + after);
            assertFalse(text.contains("X000100ZZ"), "no invented method is a label value");
            assertTrue(text.contains("method=\"OTHER\""), "they are counted together");
            assertEquals(200, scene.clients.get("/health", Map.of()).status());
            scene.assertIntact();
        } finally {
            await(vertx.close());
        }
    }

    private static long lines(Clients clients) {
        return clients.get("/metrics", Map.of()).body().toString().lines().count();
    }
}
