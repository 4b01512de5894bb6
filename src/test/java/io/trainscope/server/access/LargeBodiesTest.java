package io.trainscope.server.access;

import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.ServerMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.trainscope.server.access.Clients.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large bodies are parsed off the event loop (issue 8, item 8): a 12 MB body of a million keys took the event
 * loop a second, and every other request waited. Vert.x's blocked-thread checker, set here to 600 ms, reports any
 * event loop held that long: parsed there, each body is one report. Three bodies may make one report at most,
 * for a pause of the whole JVM (a collection of their trees on a busy machine) is counted too.
 */
class LargeBodiesTest {

    static final long BLOCKED_MILLIS = 600;
    static final int BODIES = 3;

    @TempDir
    Path data;

    /**
     * The checker reports a thread again and again while it stays blocked, each time with a longer duration: one
     * episode is a run of reports of one thread whose durations grow.
     */
    static long episodes(List<String> reports) {
        java.util.Map<String, Long> last = new java.util.HashMap<>();
        long episodes = 0;
        java.util.regex.Pattern report = java.util.regex.Pattern.compile("Thread (\\S+) has been blocked for (\\d+) ms");
        for (String line : reports) {
            java.util.regex.Matcher m = report.matcher(line);
            if (m.find()) {
                long millis = Long.parseLong(m.group(2));
                Long before = last.put(m.group(1), millis);
                if (before == null || millis <= before) {
                    episodes++;
                }
            }
        }
        return episodes;
    }

    @Test
    void aMillionKeysDoNotHoldTheEventLoop() throws Exception {
        List<String> blocked = new CopyOnWriteArrayList<>();
        Logger checker = Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");
        Handler listen = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage() != null && record.getMessage().contains("vert.x-eventloop")) {
                    blocked.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        checker.addHandler(listen);
        Vertx vertx = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(BLOCKED_MILLIS)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS).setBlockedThreadCheckInterval(50)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS).setWarningExceptionTime(500).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS));
        try {
            Scene scene = Scene.start(vertx, ServerConfig.defaults().withPort(0).withDataDir(data).withMaxRunning(2),
                    SecurityConfig.DEFAULT);
            StringBuilder body = new StringBuilder(12_500_000).append('{');
            for (int k = 0; k < 1_000_000; k++) {
                body.append(k == 0 ? "" : ",").append("\"k").append(k).append("\":0");
            }
            String spec = body.append('}').toString();
            for (int i = 0; i < BODIES; i++) {
                Clients.Reply answer = scene.clients.post("/api/runs", Map.of(), spec);
                assertEquals(400, answer.status(), answer.body()::toString);
                assertTrue(answer.json().getString("error").contains("unknown field"), answer.body()::toString);
            }
            long episodes = episodes(blocked);
            System.out.println("large bodies: " + BODIES + " bodies of " + spec.length() / 1_000_000 + " MB and 10^6 keys parsed; "
                    + "event loops blocked over " + BLOCKED_MILLIS + " ms: " + episodes + " times");
            assertTrue(episodes <= 1, blocked::toString);
            scene.assertIntact();
        } finally {
            checker.removeHandler(listen);
            await(vertx.close());
        }
    }
}
