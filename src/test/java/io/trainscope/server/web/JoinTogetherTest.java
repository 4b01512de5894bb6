package io.trainscope.server.web;

import io.micrometer.core.instrument.Counter;
import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.access.SecurityConfig;
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
