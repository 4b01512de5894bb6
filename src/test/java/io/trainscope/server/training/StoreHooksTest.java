package io.trainscope.server.training;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.trainscope.history.MemoryHistory;
import io.trainscope.point.Points;
import io.trainscope.run.RunStatus;
import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.testing.ForwardingHistory;
import io.trainscope.testing.Specs;
import io.trainscope.testing.TestViewer;
import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayDeque;
import java.util.Queue;

import static io.trainscope.testing.TestViewer.assertIterations;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a disk store plugs into: histories that publish late, and runs read back at start-up. */
@ExtendWith(VertxExtension.class)
class StoreHooksTest {

    /** Publishes appended points only when a background writer gets to them, as a disk log does. */
    static final class LateHistory extends ForwardingHistory {
        private final Queue<Points> pending = new ArrayDeque<>();

        LateHistory(Vertx vertx, int depth) {
            super(depth);
            vertx.setPeriodic(70, id -> {
                synchronized (pending) {
                    while (!pending.isEmpty()) {
                        held.append(pending.poll());
                    }
                }
            });
        }

        @Override
        public void append(Points batch) {
            Points copy = new Points(batch.depth(), batch.size());
            for (int p = 0; p < batch.size(); p++) {
                copy.add(batch, p);
            }
            synchronized (pending) {
                pending.add(copy);
            }
        }
    }

    @Test
    void aHistoryThatPublishesLateStillGivesEveryPointBeforeTheFinalState(Vertx vertx) {
        ServerConfig config = ServerConfig.defaults().withPort(0).withPoints(1_000_000, 1_000_000);
        Server server = Wait.get(Server.start(vertx, config, new EngineRunFactory(config.specLimits()),
                (runId, depth) -> new LateHistory(vertx, depth)));
        TestViewer viewer = TestViewer.connect(vertx, server.port());
        String run = viewer.start(Specs.xor(3000, 0));
        JsonObject finished = viewer.awaitState(run, "finished");
        assertEquals(3000, finished.getLong("iteration"));
        assertIterations(0, 3000, viewer.iterations(run));
    }

    @Test
    void aRestoredRunIsListedAndShownToAJoiningViewer(Vertx vertx) {
        Server server = Wait.get(Server.start(vertx, ServerConfig.defaults().withPort(0)));
        MemoryHistory history = io.trainscope.history.TestHistories.history(250);
        server.runs().restore(new RunSnapshot("old-1", RunStatus.INTERRUPTED, "the server stopped", 250, 1000,
                JsonNodeFactory.instance.objectNode().put("learningRate", 0.1), "[2,2,1] xor", 2,
                1000L, 2000L, 900, 0, 0, Double.NaN), history, io.trainscope.server.bus.KeptViews.NONE);
        TestViewer viewer = TestViewer.connect(vertx, server.port());
        assertEquals("interrupted", viewer.awaitType("hello").getJsonArray("runs").getJsonObject(0).getString("status"));
        viewer.awaitState("old-1", "interrupted");
        viewer.await(m -> "history".equals(m.getString("type")));
        assertIterations(0, 250, viewer.iterations("old-1"));
        viewer.send(new JsonObject().put("type", "resume").put("runId", "old-1"));
        assertEquals("resume", viewer.awaitType("error").getString("request"));
    }
}
