package io.trainscope.server.access;

import io.trainscope.server.ServerConfig;
import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.trainscope.server.access.Clients.await;
import static io.trainscope.server.access.Clients.bearer;
import static io.trainscope.server.access.Clients.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Read-only viewers asking for a long run's whole history at the allowed message rate (issue 8, item 7): 50 of
 * them once made the server send 741 MB in 10 s at 181% CPU, and /health took up to 3.7 s once they stopped
 * reading. Now history is sent within a byte budget per viewer and in all, one request at a time per viewer, and
 * only as fast as it reads.
 */
@ExtendWith(VertxExtension.class)
class HistoryAmplificationTest {

    static final String TOKEN = "amplification-token";
    static final int VIEWERS = 20;
    static final long PER_VIEWER = 256 * 1024;
    static final long TOTAL = 1024 * 1024;
    static final int SECONDS = 5;

    @TempDir
    Path data;

    @Test
    void historyRequestsAreBoundedInBytesAndServedAsFastAsRead(Vertx vertx) throws Exception {
        Limits limits = Limits.DEFAULT.withHistoryBytesPerSecond(PER_VIEWER, TOTAL);
        Scene scene = Scene.start(vertx, ServerConfig.defaults().withPort(0).withToken(TOKEN).withDataDir(data)
                .withMaxRunning(2), SecurityConfig.DEFAULT.withLimits(limits));
        Clients.Reply started = scene.clients.post("/api/runs", bearer(TOKEN), spec(1_000_000, 0));
        String longRun = started.json().getString("id");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!"finished".equals(scene.clients.get("/api/runs/" + longRun, Map.of()).json().getString("status"))) {
            assertTrue(System.nanoTime() < deadline, "the long run finished");
            Thread.sleep(100);
        }

        AtomicLong received = new AtomicLong();
        AtomicLong largest = new AtomicLong();
        AtomicLong joined = new AtomicLong();
        List<WebSocket> viewers = new ArrayList<>();
        for (int v = 0; v < VIEWERS; v++) {
            // The handler is set as the handshake completes, on the socket's event loop: a join can follow the
            // handshake at once (a shared one is ready), before a handler set from this thread would be.
            WebSocket socket = await(scene.clients.connect(scene.clients.socketClient(64 * 1024), "/ws", Map.of())
                    .map(connected -> connected.textMessageHandler(text -> {
                        // Only the answers count: the live run's points and the refusals are not what is being bounded.
                        if (text.startsWith("{\"type\":\"history\"")) {
                            received.addAndGet(text.length());
                            largest.accumulateAndGet(text.length(), Math::max);
                            if (text.contains("\"purpose\":\"join\"") && text.contains("\"runId\":\"" + longRun + "\"")) {
                                joined.incrementAndGet();
                            }
                        }
                    })));
            viewers.add(socket);
        }
        // Each viewer is sent the long run's history as it connects, as the latest run's; then it asks again and again.
        Wait.until(() -> joined.get() >= VIEWERS, "every viewer's join history of the long run", Duration.ofSeconds(60));
        long before = received.get();
        String ask = new JsonObject().put("type", "history").put("runId", longRun).put("from", 0)
                .put("maxPoints", 4000).encode();
        long start = System.nanoTime();
        for (int tick = 0; tick < SECONDS * 20; tick++) {
            for (WebSocket socket : viewers) {
                socket.writeTextMessage(ask);
            }
            if (tick == SECONDS * 10) {
                // Half of them stop reading: what they are owed must wait for them, not pile up in the server.
                viewers.subList(0, VIEWERS / 2).forEach(WebSocket::pause);
            }
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long sent = received.get() - before;
        // The shared budget starts full (two seconds' worth) and refills; each read slot may start one answer while
        // the budget is just above zero, which then takes it below.
        long bound = (long) (TOTAL * (2 + seconds)) + 2 * largest.get();
        System.out.printf("history amplification: %d viewers asked %d times for %,d-point histories in %.1f s and were"
                + " sent %,d bytes (bound %,d; unbounded it would be about %,d)%n", VIEWERS, SECONDS * 20 * VIEWERS,
                1_000_000, seconds, sent, bound, (long) SECONDS * 20 * VIEWERS * 440_000L);
        assertTrue(sent <= bound, sent + " bytes sent, more than " + bound);
        long health = System.nanoTime();
        assertEquals(200, scene.clients.get("/health", Map.of()).status());
        System.out.printf("history amplification: /health answered in %.0f ms with half the viewers not reading%n",
                (System.nanoTime() - health) / 1e6);
        scene.assertIntact();
        viewers.forEach(WebSocket::close);
    }
}
