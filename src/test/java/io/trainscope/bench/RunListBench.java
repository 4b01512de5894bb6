package io.trainscope.bench;

import io.trainscope.nn.StepMetrics;
import io.trainscope.run.RunStatus;
import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.server.bus.RunView;
import io.trainscope.store.RunLog;
import io.trainscope.store.RunStore;
import io.vertx.core.Vertx;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The runs table with many stored runs (issue 11): a server's start-up with N runs (default 10,000, each a few
 * points), then {@code GET /api/runs} whole and one page of 100, and sorting the N runs by final cost and by name as
 * the server holds them. Each figure is the median of {@link #SAMPLES} with the fastest and slowest beside it.
 * Prints figures; asserts nothing. The page's own sort and filter of the same list are measured by
 * {@code io.trainscope.e2e.RunTableBrowserTest} only as far as it must stay usable; see docs/performance.md.
 *
 * <p>{@code java -cp target/trainscope.jar:target/test-classes io.trainscope.bench.RunListBench [runs]}
 */
public final class RunListBench {

    private static final int SAMPLES = 7;
    private static final String SPEC = "{\"layers\": [2, 8, 1], \"learningRate\": %s, \"iterations\": 5, \"seed\": %d,"
            + " \"dataset\": {\"name\": \"xor\", \"samples\": 64}}";

    private RunListBench() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path data = Files.createTempDirectory("trainscope-run-list");
        try {
            long written = System.nanoTime();
            write(data, runs);
            System.out.printf("wrote %d runs in %.1f s%n", runs, (System.nanoTime() - written) / 1e9);
            Vertx vertx = Vertx.vertx();
            long start = System.nanoTime();
            Server server = Server.start(vertx, ServerConfig.defaults().withPort(0).withDataDir(data))
                    .toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
            System.out.printf("server start-up with %d runs: %.0f ms%n", runs, (System.nanoTime() - start) / 1e6);
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port() + "/api/runs";
            int[] bytes = new int[1];
            print("GET /api/runs (all " + runs + ")", time(() -> bytes[0] = get(http, base).length()));
            System.out.printf("  %.1f MB of JSON, %.0f bytes a run%n", bytes[0] / 1048576.0, (double) bytes[0] / runs);
            print("GET /api/runs?offset=5000&limit=100", time(() -> get(http, base + "?offset=5000&limit=100")));
            List<RunSnapshot> snapshots = new ArrayList<>();
            for (RunView run : server.runs().list()) {
                snapshots.add(run.snapshot());
            }
            ToDoubleFunction<RunSnapshot> cost = RunSnapshot::cost;
            print("sort " + runs + " by final cost", time(() -> new ArrayList<>(snapshots).sort(
                    Comparator.comparingDouble(cost))));
            print("sort " + runs + " by name", time(() -> new ArrayList<>(snapshots).sort(
                    Comparator.comparing(s -> s.name() == null ? "" : s.name()))));
            server.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static String get(HttpClient http, String url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError(url + " answered " + response.statusCode());
            }
            return response.body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path data, int runs) throws Exception {
        StepMetrics m = new StepMetrics(2);
        try (RunStore store = RunStore.open(data)) {
            for (int r = 0; r < runs; r++) {
                String id = String.format("run-%05d", r);
                RunLog log = store.create(id, "sweep " + (r % 97), String.format(SPEC, 0.01 * (1 + r % 30), r), 2);
                for (int i = 0; i < 5; i++) {
                    m.iteration = i;
                    m.cost = 0.7 / (1 + i) + (r % 1000) * 1e-4;
                    m.accuracy = 0.5 + 0.1 * i;
                    m.validationCost = Double.NaN;
                    m.validationAccuracy = Double.NaN;
                    log.append(m);
                }
                store.setStatus(id, RunStatus.FINISHED, null, 1000L + r);
            }
        }
    }

    private static double[] time(Runnable task) {
        task.run();
        double[] ms = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            long start = System.nanoTime();
            task.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    private static void print(String what, double[] ms) {
        System.out.printf("%-40s median %8.2f ms  (fastest %.2f, slowest %.2f)%n", what, ms[SAMPLES / 2], ms[0],
                ms[SAMPLES - 1]);
    }
}
