package io.trainscope.server.access;

import io.trainscope.server.ServerConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections that hold the server's sockets (issue 8, item 4): half-sent requests are closed after the header
 * timeout, idle connections after the idle timeout, connections past the limit at once; a viewer that is
 * pinged stays. The process-level case, the descriptor limit itself, is {@code e2e.DescriptorExhaustionTest}.
 */
@ExtendWith(VertxExtension.class)
class ConnectionsTest {

    static final int MAX_CONNECTIONS = 30;

    @TempDir
    Path data;

    private Scene start(Vertx vertx, long headerTimeoutMillis) throws InterruptedException {
        Limits limits = Limits.DEFAULT.withConnections(MAX_CONNECTIONS, headerTimeoutMillis, 2000);
        return Scene.start(vertx, ServerConfig.defaults().withPort(0).withDataDir(data).withMaxRunning(2),
                SecurityConfig.DEFAULT.withLimits(limits));
    }

    @Test
    void halfSentRequestsAreClosedAfterTheHeaderTimeout(Vertx vertx) throws Exception {
        Scene scene = start(vertx, 500);
        List<RawHttp> slow = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RawHttp raw = new RawHttp(scene.server.port());
            raw.send("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
            slow.add(raw);
        }
        for (RawHttp raw : slow) {
            assertTrue(raw.closedByServer(), "a request whose headers never end is closed");
            raw.close();
        }
        assertTrue(refused(scene, "headerTimeout") >= 20, "counted in /metrics");
        scene.assertIntact();
    }

    @Test
    void connectionsPastTheLimitAreClosedAtOnceAndTheServerRecovers(Vertx vertx) throws Exception {
        Scene scene = start(vertx, 10_000);
        List<RawHttp> held = new ArrayList<>();
        for (int i = 0; i < 2 * MAX_CONNECTIONS; i++) {
            held.add(new RawHttp(scene.server.port()));
        }
        int closed = 0;
        for (RawHttp raw : held) {
            raw.socket.setSoTimeout(300);
            try {
                if (raw.socket.getInputStream().read() < 0) {
                    closed++;
                }
            } catch (java.net.SocketTimeoutException stillOpen) {
                // Accepted and waiting for its request.
            }
        }
        assertTrue(closed >= MAX_CONNECTIONS, closed + " of " + held.size() + " closed at once");
        for (RawHttp raw : held) {
            raw.close();
        }
        assertTrue(refused(scene, "connections") >= MAX_CONNECTIONS);
        scene.assertIntact();
    }

    @Test
    void anIdleConnectionIsClosedAndAPingedViewerStays(Vertx vertx) throws Exception {
        Scene scene = start(vertx, 10_000);
        Clients.Viewer quiet = scene.clients.viewer("/ws");
        quiet.next("hello");
        quiet.send("{\"type\": \"follow\", \"auto\": false}");
        quiet.send("{\"type\": \"unfollow\", \"runId\": \"" + scene.live + "\"}");
        try (RawHttp raw = new RawHttp(scene.server.port())) {
            raw.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
            raw.status();
            long start = System.nanoTime();
            assertTrue(raw.closedByServer(), "an idle keep-alive connection is closed");
            System.out.printf("idle connection closed after %.1f s (idle timeout 2 s)%n", (System.nanoTime() - start) / 1e9);
        }
        assertFalse(quiet.closed.isDone(), "a viewer that is sent nothing but pings stays connected");
        scene.assertIntact();
    }

    private static double refused(Scene scene, String reason) throws IOException {
        String text = scene.clients.get("/metrics", Map.of()).body().toString();
        return text.lines().filter(l -> l.startsWith("trainscope_refused_total{reason=\"" + reason + "\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
