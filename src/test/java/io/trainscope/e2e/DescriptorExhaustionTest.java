package io.trainscope.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server under a low descriptor limit ({@code prlimit --nofile=600}) and 700 sockets that send half a request
 * and wait (issue 8, item 4). It used to run out of descriptors, lose its acceptor thread to an error in a log
 * call and never answer again. Now it holds connections below its limit, closes the rest at once, and afterwards
 * answers, streams to the viewer that was watching, and reads its stored run back unchanged.
 */
@Timeout(240)
class DescriptorExhaustionTest {

    static final int LIMIT = 600;
    static final int SOCKETS = 700;

    @TempDir
    Path data;

    @Test
    void aServerOutOfDescriptorsRecovers() throws Exception {
        Path prlimit = Path.of("/usr/bin/prlimit");
        assertTrue(Files.isExecutable(prlimit), "this test needs prlimit: sudo apt-get install util-linux");
        try (ServeProcess server = ServeProcess.start(data, List.of(prlimit.toString(), "--nofile=" + LIMIT + ":" + LIMIT),
                List.of("-Xmx256m"), List.of())) {
            String finished = new JsonObject(server.send("POST", "/api/runs", spec(300, 0)).body()).getString("id");
            String finishedPoints = untilFinished(server, finished);
            String live = new JsonObject(server.send("POST", "/api/runs", spec(100_000_000, 40)).body()).getString("id");
            AtomicLong lastSeen = new AtomicLong(-1);
            WebSocket watcher = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port + "/ws"), new LastIteration(live, lastSeen))
                    .get(30, TimeUnit.SECONDS);
            waitForMore(lastSeen, -1);

            List<Socket> sockets = new ArrayList<>();
            int refusedByKernel = 0;
            for (int i = 0; i < SOCKETS; i++) {
                try {
                    Socket socket = new Socket("127.0.0.1", server.port);
                    OutputStream out = socket.getOutputStream();
                    out.write("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    sockets.add(socket);
                } catch (java.io.IOException e) {
                    refusedByKernel++;
                }
            }
            Thread.sleep(3000);
            for (Socket socket : sockets) {
                socket.close();
            }
            System.out.println("descriptor exhaustion: " + sockets.size() + " sockets opened, " + refusedByKernel
                    + " refused; server limit " + LIMIT);

            HttpResponse<String> health = untilAnswered(server);
            assertEquals(200, health.statusCode(), "/health answers after the attack");
            long before = lastSeen.get();
            waitForMore(lastSeen, before);
            assertEquals(finishedPoints, server.send("GET", "/api/runs/" + finished + "/metrics", null).body(),
                    "the stored run reads back unchanged");
            String metrics = server.send("GET", "/metrics", null).body();
            assertTrue(metrics.contains("trainscope_refused_total{reason=\"connections\"}"),
                    "connections past the limit were closed at once");
            assertTrue(server.process.isAlive());
            assertFalse(server.printed().contains("NoClassDefFoundError"), server.printed());
            watcher.abort();
        }
    }

    private static String spec(long iterations, double pace) {
        return "{\"layers\": [2, 8, 1], \"learningRate\": 0.5, \"iterations\": " + iterations
                + ", \"dataset\": {\"name\": \"xor\", \"samples\": 64}" + (pace > 0 ? ", \"pace\": " + pace : "") + "}";
    }

    private static String untilFinished(ServeProcess server, String id) throws Exception {
        long deadline = System.nanoTime() + ServeProcess.WAIT.toNanos();
        while (!"finished".equals(new JsonObject(server.send("GET", "/api/runs/" + id, null).body()).getString("status"))) {
            assertTrue(System.nanoTime() < deadline, "the run did not finish");
            Thread.sleep(50);
        }
        return server.send("GET", "/api/runs/" + id + "/metrics", null).body();
    }

    private static HttpResponse<String> untilAnswered(ServeProcess server) throws Exception {
        long deadline = System.nanoTime() + ServeProcess.WAIT.toNanos();
        while (true) {
            try {
                return server.send("GET", "/health", null);
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("/health never answered again; the server printed:\n" + server.printed(), e);
                }
                Thread.sleep(200);
            }
        }
    }

    private static void waitForMore(AtomicLong lastSeen, long than) throws InterruptedException {
        long deadline = System.nanoTime() + ServeProcess.WAIT.toNanos();
        while (lastSeen.get() <= than) {
            assertTrue(System.nanoTime() < deadline, "the watching viewer got no new points after " + than);
            Thread.sleep(20);
        }
    }

    /** Keeps the last iteration of one run that a viewer was sent. */
    private record LastIteration(String runId, AtomicLong last) implements WebSocket.Listener {
        private static final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence text, boolean whole) {
            synchronized (partial) {
                partial.append(text);
                if (whole) {
                    JsonObject message = new JsonObject(partial.toString());
                    partial.setLength(0);
                    JsonArray points = message.getJsonArray("points");
                    if (runId.equals(message.getString("runId")) && points != null && !points.isEmpty()) {
                        last.set(points.getJsonObject(points.size() - 1).getLong("iteration"));
                    }
                }
            }
            socket.request(1);
            return null;
        }
    }
}
