package io.trainscope.server.access;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every response tells the browser what the page may do (issue 8, low items). */
@ExtendWith(VertxExtension.class)
class SecurityHeadersTest {

    @TempDir
    Path data;

    @Test
    void pagesApiAndRefusalsCarryThePolicy(Vertx vertx) throws InterruptedException {
        Scene scene = Scene.start(vertx, data, "headers-token", SecurityConfig.DEFAULT);
        for (String path : List.of("/", "/index.html", "/js/app.js", "/api/runs", "/api/runs/none", "/health",
                "/metrics", "/no-such-file")) {
            Clients.Reply reply = scene.clients.get(path, Map.of());
            assertEquals(SecurityHeaders.POLICY, reply.headers().get("Content-Security-Policy"), path);
            assertTrue(reply.headers().get("Content-Security-Policy").contains("frame-ancestors 'none'"), path);
            assertEquals("DENY", reply.headers().get("X-Frame-Options"), path);
            assertEquals("nosniff", reply.headers().get("X-Content-Type-Options"), path);
            assertEquals("no-referrer", reply.headers().get("Referrer-Policy"), path);
        }
        Clients.Reply refused = scene.clients.post("/api/runs", Map.of(), "{}");
        assertEquals(401, refused.status());
        assertEquals("DENY", refused.headers().get("X-Frame-Options"), "refusals too");
        scene.assertIntact();
    }
}
