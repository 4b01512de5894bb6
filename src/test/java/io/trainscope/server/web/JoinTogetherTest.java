package io.trainscope.server.web;

import io.micrometer.core.instrument.Counter;
import io.trainscope.point.Points;
import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.access.SecurityConfig;
import io.trainscope.server.training.EngineRunFactory;
import io.trainscope.testing.ForwardingHistory;
import io.trainscope.testing.Specs;
import io.trainscope.testing.TestViewer;
import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Viewers joining a running run together share one join history and are then sent the live updates they missed
 * while it was read, as they were sent, rather than a history read each: every one reaches the live updates, with
 * no gap and no overlap, and the server reads the run's history about once a second however many join.
 */
@ExtendWith(VertxExtension.class)
class JoinTogetherTest {

    static final int VIEWERS = 60;

    @Test
    void viewersJoiningTogetherAllReachTheLiveUpdatesWithoutAReadEach(Vertx vertx) {
        ServerMetrics metrics = new ServerMetrics();
        Server server = Wait.get(Server.start(vertx, ServerConfig.defaults().withPort(0), SecurityConfig.DEFAULT, metrics));
        TestViewer starter = TestViewer.connect(vertx, server.port());
        String run = starter.start(Specs.xor(1_000_000, 3000));
        Wait.until(() -> starter.lastIteration(run) > 3000, "the run to be going");

        List<TestViewer> viewers = new ArrayList<>();
        long connecting = System.nanoTime();
        for (int i = 0; i < VIEWERS; i++) {
            viewers.add(TestViewer.connect(vertx, server.port(), i % 2 == 0 ? "/ws?encoding=binary" : "/ws"));
        }
        double seconds = (System.nanoTime() - connecting) / 1e9;
        for (TestViewer viewer : viewers) {
            Wait.until(() -> viewer.ofType("metrics").size() >= 10, "ten live updates for every viewer",
                    Duration.ofSeconds(30));
        }
        for (TestViewer viewer : viewers) {
            assertNoGap(viewer, run);
        }
        double replays = count(metrics, "recent");
        System.out.printf("%d viewers joined together: %.0f joins, %.0f histories read, %.0f brought up to date "
                + "from the recent updates%n", VIEWERS, count(metrics, "join"), reads(metrics), replays);
        assertTrue(replays > 0, "the viewers were brought up to date from the recent updates");
        // A join is shared for a second, per encoding: about two reads for each second the viewers took to connect.
        double bound = 2 * (Math.ceil(seconds) + 2);
        assertTrue(reads(metrics) <= Math.min(bound, VIEWERS / 2.0), "not a history read each: " + reads(metrics)
                + " reads for " + VIEWERS + " viewers connecting over " + seconds + " s");
        starter.send(new JsonObject().put("type", "stop").put("runId", run));
    }

    /**
     * Viewers that come for a join while it is being read wait for that read: one read for all of them, each
     * handed its answer on the event loop when it is done, not a read or a worker's round trip each (at 10,000
     * viewers those round trips, two at a time, made the last join arrive 38 s after its handshake).
     */
    @Test
    void viewersJoiningWhileTheJoinIsReadAllTakeThatOneRead(Vertx vertx) throws InterruptedException {
        CountDownLatch gate = new CountDownLatch(1);
        AtomicBoolean closed = new AtomicBoolean();
        AtomicInteger gated = new AtomicInteger();
        ServerConfig config = ServerConfig.defaults().withPort(0);
        Server server = Wait.get(Server.start(vertx, config, SecurityConfig.DEFAULT, new ServerMetrics(),
                new EngineRunFactory(config.specLimits()), (runId, depth) -> new Gated(depth, closed, gate, gated)));
        TestViewer starter = TestViewer.connect(vertx, server.port());
        String run = starter.start(Specs.xor(1_000_000, 3000));
        Wait.until(() -> starter.lastIteration(run) > 300, "the run to be going");

        closed.set(true);
        List<TestViewer> viewers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            viewers.add(TestViewer.connect(vertx, server.port(), "/ws?encoding=binary"));
        }
        for (TestViewer viewer : viewers) {
            viewer.awaitType("hello");
        }
        Wait.until(() -> gated.get() > 0, "the join to be read");
        Thread.sleep(300);
        int whileGated = gated.get();
        closed.set(false);
        gate.countDown();
        for (TestViewer viewer : viewers) {
            Wait.until(() -> viewer.ofType("metrics").size() >= 5, "live updates after the join", Duration.ofSeconds(30));
            assertNoGap(viewer, run);
        }
        assertEquals(1, whileGated, "reads of the join while it was being read, for 20 viewers");
        long to = viewers.get(0).ofType("history").get(0).getLong("to");
        for (TestViewer viewer : viewers) {
            assertEquals(to, viewer.ofType("history").get(0).getLong("to"), "every viewer took the same join");
        }
        starter.send(new JsonObject().put("type", "stop").put("runId", run));
    }

    /**
     * A run's history on the heap whose history reads (more than a live push's points), while it is closed, wait
     * for a gate to open, counted.
     */
    private static final class Gated extends ForwardingHistory {
        private static final int LIVE_POINTS = 100;
        private final AtomicBoolean closed;
        private final CountDownLatch gate;
        private final AtomicInteger reads;

        Gated(int depth, AtomicBoolean closed, CountDownLatch gate, AtomicInteger reads) {
            super(depth);
            this.closed = closed;
            this.gate = gate;
            this.reads = reads;
        }

        @Override
        public Points downsampled(long from, long to, int maxPoints) {
            // Histories only: a live push downsamples its few points too, and must go on.
            if (closed.get() && maxPoints > LIVE_POINTS) {
                reads.incrementAndGet();
                try {
                    gate.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return held.downsampled(from, to, maxPoints);
        }
    }

    /**
     * A join read before the run's first point ends where it starts. A viewer joining a moment later, when the run
     * has points, is sent that shared join too, and must then be caught up past it rather than sent it again.
     */
    @Test
    void viewersJoiningARunAsItStartsAllFollowIt(Vertx vertx) throws InterruptedException {
        Server server = Wait.get(Server.start(vertx, ServerConfig.defaults().withPort(0)));
        TestViewer starter = TestViewer.connect(vertx, server.port());
        String run = starter.start(Specs.xor(1_000_000, 2000));
        List<TestViewer> viewers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            viewers.add(TestViewer.connect(vertx, server.port()));
            Thread.sleep(100);
        }
        for (TestViewer viewer : viewers) {
            Wait.until(() -> viewer.ofType("metrics").size() >= 10, "ten live updates for every viewer");
            assertNoGap(viewer, run);
        }
        starter.send(new JsonObject().put("type", "stop").put("runId", run));
    }

    private static void assertNoGap(TestViewer viewer, String run) {
        long next = 0;
        for (JsonObject message : viewer.received()) {
            if (run.equals(message.getString("runId")) && message.containsKey("from")) {
                assertEquals(next, message.getLong("from"), () -> "no gap or overlap: " + message.encode());
                next = message.getLong("to");
            }
        }
    }

    private static double reads(ServerMetrics metrics) {
        Counter counter = metrics.registry().find("trainscope.history.reads").counter();
        return counter == null ? 0 : counter.count();
    }

    private static double count(ServerMetrics metrics, String purpose) {
        Counter counter = metrics.registry().find("trainscope.history.requests").tag("purpose", purpose).counter();
        return counter == null ? 0 : counter.count();
    }
}
