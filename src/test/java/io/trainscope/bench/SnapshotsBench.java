package io.trainscope.bench;

import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cost of the views to training: one fast run of the demo's network, watched by {@code viewers} WebSocket
 * viewers that in alternate windows are subscribed to all three views (histograms, boundary, network) or to
 * none. Alternating on one run keeps the JIT, the heap and the machine's other load alike for both; the figure
 * is each condition's median rate over its windows, with the spread. Viewers run in the same JVM, so on a small
 * machine they compete with training for the CPU: the slowdown printed is an upper bound.
 *
 * <pre>mvn -q dependency:build-classpath -Dmdep.outputFile=cp.txt &amp;&amp; java -cp target/classes:target/test-classes:$(cat cp.txt) io.trainscope.bench.SnapshotsBench [windows] [seconds] [viewers] [layers]</pre>
 */
public final class SnapshotsBench {

    private SnapshotsBench() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        int windows = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int viewers = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        String layers = args.length > 3 ? args[3] : "2,16,16,8,1";
        String spec = "{\"layers\": [" + layers + "], \"learningRate\": 0.1, \"iterations\": 100000000,"
                + " \"dataset\": {\"name\": \"spiral\", \"samples\": 400, \"seed\": 1}, \"validationSplit\": 0.2}";

        Vertx serverVertx = Vertx.vertx();
        Vertx clientVertx = Vertx.vertx();
        Server server = await(Server.start(serverVertx, ServerConfig.defaults().withPort(0)));
        WebSocketClient client = clientVertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(viewers + 2).setMaxMessageSize(64 << 20));
        AtomicLong bytes = new AtomicLong();
        AtomicLong snapshots = new AtomicLong();
        List<WebSocket> sockets = new ArrayList<>();
        for (int v = 0; v < viewers; v++) {
            sockets.add(await(client.connect(server.port(), "127.0.0.1", "/ws").map(socket -> {
                socket.textMessageHandler(text -> {
                    bytes.addAndGet(text.length());
                    if (text.startsWith("{\"type\":\"boundary\"") || text.startsWith("{\"type\":\"network\"")
                            || text.startsWith("{\"type\":\"histograms\"")) {
                        snapshots.incrementAndGet();
                    }
                });
                return socket;
            })));
        }
        ViewersBench.HttpStart.post(server.port(), spec);
        // Warm-up: the JIT compiles training, the views and their encoding before any window is timed.
        var run = server.runs().latest();
        String warm = new JsonObject().put("type", "subscribe").put("runId", run.id())
                .put("views", new JsonArray().add("histograms").add("boundary").add("network")).encode();
        sockets.forEach(socket -> socket.writeTextMessage(warm));
        Thread.sleep(10_000);
        String views = new JsonObject().put("runId", run.id())
                .put("views", new JsonArray().add("histograms").add("boundary").add("network")).encode();
        List<Double> none = new ArrayList<>();
        List<Double> subscribed = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        System.out.printf("[%s] on spiral (320 training examples), %d viewers, %d windows of %d s each way%n", layers,
                viewers, windows, seconds);
        System.out.printf("%10s %12s %14s %14s%n", "window", "it/s", "snapshots/s", "KB/s/viewer");
        for (int w = 0; w < 2 * windows; w++) {
            boolean on = w % 2 == 1;
            String type = on ? "subscribe" : "unsubscribe";
            for (WebSocket socket : sockets) {
                socket.writeTextMessage("{\"type\":\"" + type + "\"," + views.substring(1));
            }
            Thread.sleep(500);
            long from = run.history().size();
            bytes.set(0);
            snapshots.set(0);
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double rate = (run.history().size() - from) / elapsed;
            (on ? subscribed : none).add(rate);
            System.out.printf("%10s %12.0f %14.1f %14.1f%n", on ? "views" : "none", rate,
                    snapshots.get() / elapsed / viewers, bytes.get() / elapsed / viewers / 1e3);
        }
        double a = median(none);
        double b = median(subscribed);
        System.out.printf("none:  median %.0f it/s [%.0f–%.0f]%n", a, min(none), max(none));
        System.out.printf("views: median %.0f it/s [%.0f–%.0f]%n", b, min(subscribed), max(subscribed));
        System.out.printf("views/none: %.3f%n", b / a);
        await(clientVertx.close());
        await(serverVertx.close());
        System.exit(0);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
}
