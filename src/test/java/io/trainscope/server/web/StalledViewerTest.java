package io.trainscope.server.web;

import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.access.Limits;
import io.trainscope.server.access.SecurityConfig;
import io.trainscope.testing.Specs;
import io.trainscope.testing.TestViewer;
import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A viewer that stops reading: its updates are skipped, not queued, and once its socket has been full for the stall
 * timeout it is closed with a code and a reason it reads when it reads again; a healthy viewer meanwhile misses
 * nothing.
 */
@ExtendWith(VertxExtension.class)
class StalledViewerTest {

    @Test
    void aStalledViewerIsCoalescedThenClosedAndAHealthyOneMissesNothing(Vertx vertx) {
        ServerMetrics metrics = new ServerMetrics();
        SecurityConfig security = SecurityConfig.DEFAULT.withLimits(Limits.DEFAULT.withStallTimeout(2000));
        Server server = Wait.get(Server.start(vertx, ServerConfig.defaults().withPort(0)
                .withPoints(100, ServerConfig.defaults().maxHistoryPoints()), security, metrics));
        int port = server.port();
        TestViewer healthy = TestViewer.connect(vertx, port);
        // A small receive buffer, so that the server's side fills at once.
        TestViewer stalled = TestViewer.connect(vertx, port, new WebSocketClientOptions().setReceiveBufferSize(4096));
        stalled.awaitType("hello");
        stalled.socket.pause();
        // Nine weight layers and 90 points an update (every one: 1,800 a second): about 1.5 MB a second, so a viewer that does not read falls
        // behind within a second.
        JsonObject deep = Specs.xor(15_000, 1800).put("layers", new JsonArray(List.of(2, 8, 8, 8, 8, 8, 8, 8, 8, 1)));
        String run = healthy.start(deep);

        Wait.until(() -> metrics.registry().find("trainscope.refused").tag("reason", "stalled").counter() != null,
                "the stalled viewer to be closed", Duration.ofSeconds(30));
        double skipped = metrics.registry().find("trainscope.messages.dropped").counter().count();
        assertTrue(skipped > 10, "the stalled viewer's updates were skipped: " + skipped);
        assertTrue(healthy.ofType("metrics").size() > 20, "the healthy viewer kept receiving updates");

        stalled.socket.resume();
        assertEquals((short) 1008, stalled.awaitClose());
        assertTrue(stalled.closeReason().startsWith("stopped reading: its socket was full for 2.0 s"),
                stalled.closeReason());
        long held = stalled.received().stream().mapToLong(m -> m.encode().length()).sum();

        healthy.awaitState(run, "finished");
        long sent = healthy.received().stream().mapToLong(m -> m.encode().length()).sum();
        System.out.printf("stalled viewer: closed after its socket was full for 2 s, %d updates skipped; it read %,d"
                + " bytes once it read again, the healthy viewer %,d in all%n", (long) skipped, held, sent);
        assertTrue(held < 2_000_000, "what waited for the stalled viewer is bounded: " + held);
        List<Long> iterations = healthy.iterations(run);
        for (int i = 1; i < iterations.size(); i++) {
            assertTrue(iterations.get(i) > iterations.get(i - 1), "in order at " + i + ": " + iterations.get(i));
        }
        assertEquals(14_999, healthy.lastIteration(run), "the healthy viewer followed the run to its end");
        // About eight seconds at 20 updates a second: none of the healthy viewer's was skipped for the stalled one.
        assertTrue(healthy.ofType("metrics").size() > 120, "updates: " + healthy.ofType("metrics").size());
    }
}
