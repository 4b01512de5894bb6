package io.trainscope.server.web;

import io.trainscope.point.Points;
import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.access.SecurityConfig;
import io.trainscope.server.training.EngineRunFactory;
import io.trainscope.testing.ForwardingHistory;
import io.trainscope.testing.Specs;
import io.trainscope.testing.TestViewer;
import io.trainscope.testing.Wait;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static io.trainscope.testing.TestViewer.assertIterations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A history may be read from disk, so no read of one may run on an event loop: every history a viewer is sent
 * (its join, a catch-up after its socket was full, a zoom, a past run it follows) is read on a worker. The
 * histories here record every read made on an event-loop thread.
 */
@ExtendWith(VertxExtension.class)
class HistoryOffTheEventLoopTest {

    private final Queue<String> onEventLoop = new ConcurrentLinkedQueue<>();
    private final AtomicInteger reads = new AtomicInteger();

    /** A run's history on the heap that notes where it is read. */
    private final class Watched extends ForwardingHistory {

        Watched(int depth) {
            super(depth);
        }

        private void reading(String what) {
            reads.incrementAndGet();
            if (Context.isOnEventLoopThread()) {
                onEventLoop.add(what + " on " + Thread.currentThread().getName());
            }
        }

        @Override
        public Points read(long from, long to) {
            reading("read");
            return held.read(from, to);
        }

        @Override
        public Points downsampled(long from, long to, int maxPoints) {
            reading("downsampled");
            return held.downsampled(from, to, maxPoints);
        }
    }

    @Test
    void joinsCatchUpsZoomsAndPastRunsAreReadOnWorkers(Vertx vertx) {
        // Nothing downsampled: every point is checked.
        ServerConfig config = ServerConfig.defaults().withPort(0).withPoints(1_000_000, 1_000_000);
        int port = Wait.get(Server.start(vertx, config, SecurityConfig.DEFAULT, new ServerMetrics(),
                new EngineRunFactory(config.specLimits()), (runId, depth) -> new Watched(depth))).port();
        TestViewer first = TestViewer.connect(vertx, port);
        String past = first.start(Specs.xor(500, 0));
        first.awaitState(past, "finished");

        // Paced, so that it is live while viewers join, fall behind and zoom.
        JsonObject deep = Specs.xor(4000, 2000).put("layers", new JsonArray(List.of(2, 8, 8, 8, 8, 8, 8, 1)));
        String live = first.start(deep);
        Wait.until(() -> first.iterations(live).size() > 200, "two hundred points");
        TestViewer late = TestViewer.connect(vertx, port);
        TestViewer slow = TestViewer.connect(vertx, port, new WebSocketClientOptions().setReceiveBufferSize(4096));
        slow.awaitType("hello");
        slow.socket.pause();
        late.send(new JsonObject().put("type", "follow").put("runId", past));
        late.send(new JsonObject().put("type", "history").put("runId", live).put("from", 0).put("to", 100)
                .put("maxPoints", 50));
        late.awaitState(live, "finished");
        slow.socket.resume();
        slow.awaitState(live, "finished");

        assertIterations(0, 4000, late.iterations(live));
        assertIterations(0, 4000, slow.iterations(live));
        assertIterations(0, 500, late.iterations(past));
        assertTrue(late.ofType("history").stream().anyMatch(m -> "request".equals(m.getString("purpose"))),
                "the zoom was answered");
        assertTrue(reads.get() > 3, "histories were read: " + reads.get());
        assertEquals(List.of(), List.copyOf(onEventLoop), "reads on an event loop");
    }
}
