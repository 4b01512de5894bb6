package io.trainscope.load;

import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load tool against a real server in this JVM, for a couple of seconds: it must see updates, bytes and
 * latencies, and read the server's side. What the figures are is not checked (that is what the tool is for).
 */
@ExtendWith(VertxExtension.class)
class LoadRunTest {

    static final String SPEC = "{\"layers\": [2, 8, 1], \"learningRate\": 0.5, \"iterations\": 100000000,"
            + " \"dataset\": {\"name\": \"xor\", \"samples\": 64}}";

    private Target target;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        Server server = Server.start(vertx, ServerConfig.defaults().withPort(0)).toCompletionStage()
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        target = Target.parse("http://127.0.0.1:" + server.port() + "/", null, null);
    }

    @Test
    void viewersInThisProcessOneOfThemSlowSeeTheRunItStarted() throws Exception {
        // A 3 s window after 2 s of warm-up: on a loaded machine a viewer can take a second or two to reach the live
        // updates, and a 2 s window from its connection then held none for one of them; 2 s of baseline, since
        // one second of a starved training thread could read 0 it/s.
        LoadPlan plan = new LoadPlan(target, 4, 1, 0, 3, 2, 2, 30, 4, null, SPEC);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        LoadReport report = LoadRun.run(plan, new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertEquals(4, report.connect().connected(), () -> report.connect().failures().toString());
        assertTrue(report.connect().failures().isEmpty());
        assertEquals(3, report.connect().joined(), "every healthy viewer had its join history");
        assertTrue(report.latency().updates() > 0, "no live update arrived in the window");
        assertTrue(report.latency().p50() >= 0 && report.latency().p50() <= report.latency().p99()
                && report.latency().p99() <= report.latency().max());
        assertEquals(3, report.updatesPerSecond().viewers(), "the three healthy viewers are ranked");
        assertTrue(report.updatesPerSecond().median() > 0);
        assertTrue(report.bytesPerSecond().min() > 0, "every healthy viewer counted bytes");
        assertEquals(1, report.slowViewers().connected());
        assertEquals(1, report.slowViewers().outcome().values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(report.trainingBefore().itPerSec() > 0 && report.trainingDuring().itPerSec() > 0);
        assertTrue(report.server().heapUsedBytes() > 0, "the server's /metrics has its heap");
        assertTrue(report.server().threads() > 0, "and its threads");
        assertEquals(1, report.clients().cpuCoresByProcess().length);

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ReportText.print(report, new PrintStream(text, true, StandardCharsets.UTF_8));
        String printed = text.toString(StandardCharsets.UTF_8);
        for (String line : new String[] {"connect: 4 of 4", "latency, time to arrival: p50", "bytes per viewer per second",
            "delivery:", "slow viewers: 1 connected", "training:", "server: heap"}) {
            assertTrue(printed.contains(line), () -> line + " in\n" + printed);
        }
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("it is stopped at the end"));
        assertFalse(new ServerProbe(target).run(report.runId()).live(), "the run the tool started was stopped");
    }

    /** The same through a {@code load-worker} process: its job, window and report cross its stdin and stdout. */
    @Test
    void viewersInAWorkerProcessReportThroughIt() throws Exception {
        ServerProbe probe = new ServerProbe(target);
        String run = probe.start(SPEC);
        try {
            LoadPlan plan = new LoadPlan(target, 2, 0, 1, 1, 0, 1, 30, 4, run, null);
            LoadReport report = LoadRun.run(plan, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertEquals(2, report.connect().connected(), () -> report.connect().failures().toString());
            assertTrue(report.latency().updates() > 0);
            assertTrue(report.bytesPerSecond().min() > 0);
            assertEquals(1, report.processes());
            assertEquals(1, report.clients().cpuCoresByProcess().length);
            assertTrue(report.clients().heapUsedByProcess()[0] > 0, "the worker told its own heap");
        } finally {
            probe.stop(run);
        }
    }
}
