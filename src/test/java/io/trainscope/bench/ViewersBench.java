package io.trainscope.bench;

import io.trainscope.nn.StepMetrics;
import io.trainscope.nn.Trainer;
import io.trainscope.run.Training;
import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.spec.SpecLimits;
import io.trainscope.spec.SpecParser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Training speed with 0, 100 and 1000 WebSocket viewers on loopback, and push latency (a {@code metrics}
 * message's {@code time} to its arrival). Viewers run in the same JVM on their own Vert.x instance, so on a
 * small machine they compete with training for the CPU: the slowdown printed is an upper bound.
 *
 * <p>{@code mvn -q test-compile exec:java} is not set up; run with
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) io.trainscope.bench.ViewersBench [seconds] [viewers...]}
 * after {@code mvn -q dependency:build-classpath -Dmdep.outputFile=cp.txt}.
 */
public final class ViewersBench {

    /** Viewers that parse every message for latency; the rest only count bytes, as a browser tab would. */
    static final int TIMED_VIEWERS = 10;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        List<Integer> counts = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            counts.add(Integer.parseInt(args[i]));
        }
        if (counts.isEmpty()) {
            counts = List.of(0, 100, 1000);
        }
        System.out.printf("headless trainer, same spec: %.0f it/s%n", headless(seconds));
        System.out.printf("%8s %12s %12s %14s %10s %10s %10s%n", "viewers", "it/s", "updates/s", "MB/s (all)",
                "p50 ms", "p99 ms", "max ms");
        for (int viewers : counts) {
            measure(viewers, seconds);
        }
        System.exit(0);
    }

    static final String SPEC = "{\"layers\": [2, 16, 16, 1], \"learningRate\": 0.05, \"iterations\": 100000000,"
            + " \"dataset\": {\"name\": \"spiral\", \"samples\": 400, \"seed\": 1}}";

    /** The same spec trained in a plain loop, no server: the rate the server's overhead is measured against. */
    private static double headless(int seconds) throws Exception {
        Trainer trainer = Training.prepare(SpecParser.parse(SPEC, SpecLimits.DEFAULT, null)).trainer();
        StepMetrics metrics = trainer.newMetrics();
        long t0 = System.nanoTime();
        long end = t0 + 1_000_000_000L;
        while (System.nanoTime() < end) {
            trainer.step(metrics);
        }
        long from = trainer.iteration();
        t0 = System.nanoTime();
        end = t0 + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            trainer.step(metrics);
        }
        return (trainer.iteration() - from) / ((System.nanoTime() - t0) / 1e9);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    private static void measure(int viewers, int seconds) throws Exception {
        Vertx serverVertx = Vertx.vertx();
        Vertx clientVertx = Vertx.vertx();
        Server server = await(Server.start(serverVertx, ServerConfig.defaults().withPort(0)));
        WebSocketClient client = clientVertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(viewers + 10).setMaxMessageSize(64 << 20));
        AtomicLong bytes = new AtomicLong();
        AtomicLong updates = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        // Held so that no socket is collected while the bench runs.
        List<WebSocket> sockets = new ArrayList<>();
        for (int v = 0; v < viewers; v++) {
            boolean timed = v < TIMED_VIEWERS;
            sockets.add(await(client.connect(server.port(), "127.0.0.1", "/ws").map(socket -> {
                if (timed) {
                    socket.textMessageHandler(text -> {
                        long now = System.currentTimeMillis();
                        bytes.addAndGet(text.length());
                        if (text.startsWith("{\"type\":\"metrics\"")) {
                            updates.incrementAndGet();
                            int at = text.indexOf("\"time\":") + 7;
                            latencies.add(now - Long.parseLong(text.substring(at, text.indexOf(',', at))));
                        }
                    });
                } else {
                    // Frames counted, not decoded: the other viewers cost the bench as little as possible.
                    socket.frameHandler(frame -> bytes.addAndGet(frame.binaryData().length()));
                }
                return socket;
            })));
        }
        HttpStart.post(server.port(), SPEC);
        Thread.sleep(1000);
        var run = server.runs().latest();
        long from = run.history().size();
        long t0 = System.nanoTime();
        latencies.clear();
        updates.set(0);
        bytes.set(0);
        Thread.sleep(seconds * 1000L);
        long to = run.history().size();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("%8d %12.0f %12.1f %14.2f %10s %10s %10s%n", viewers, (to - from) / elapsed,
                updates.get() / elapsed / Math.max(1, Math.min(viewers, TIMED_VIEWERS)),
                bytes.get() / elapsed / 1e6,
                percentile(sorted, 0.5), percentile(sorted, 0.99), sorted.isEmpty() ? "-" : sorted.get(sorted.size() - 1));
        await(clientVertx.close());
        await(serverVertx.close());
    }

    private static String percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return "-";
        }
        return String.valueOf(sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))));
    }

    /** Starts the run over REST, as a script would. */
    static final class HttpStart {
        static void post(int port, String body) throws Exception {
            var http = java.net.http.HttpClient.newHttpClient();
            var response = http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + "/api/runs"))
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("start refused: " + response.body());
            }
        }
    }
}
