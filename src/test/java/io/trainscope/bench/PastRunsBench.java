package io.trainscope.bench;

import io.trainscope.nn.StepMetrics;
import io.trainscope.server.Run;
import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.store.RunLog;
import io.trainscope.run.RunStatus;
import io.trainscope.store.RunStore;
import io.vertx.core.Vertx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What past runs cost a running server: start-up time and heap with N stored runs listed (their logs not yet
 * opened), then the heap once every run's points have been read (each log opened, as a viewer's overlay does),
 * and once every run has been read a second time.
 * Prints figures; asserts nothing.
 *
 * <p>{@code java -cp target/trainscope.jar:target/test-classes io.trainscope.bench.PastRunsBench [runs] [points]}
 */
public final class PastRunsBench {

    private static final String SPEC = "{\"layers\": [2, 16, 16, 1], \"learningRate\": 0.1, \"iterations\": %d,"
            + " \"seed\": 1, \"dataset\": {\"name\": \"circle\", \"samples\": 200}}";

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int points = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        Path data = Files.createTempDirectory("trainscope-past-runs");
        try {
            Path empty = Files.createDirectory(data.resolve("empty"));
            Path full = Files.createDirectory(data.resolve("full"));
            write(full, runs, points);
            for (int round = 0; round < 3; round++) {
                // A server with no runs first: what the server itself holds is not counted against the runs.
                long server = measure(empty, 0, 0);
                measure(full, runs, server);
            }
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void write(Path data, int runs, int points) throws Exception {
        StepMetrics m = new StepMetrics(3);
        try (RunStore store = RunStore.open(data)) {
            for (int r = 0; r < runs; r++) {
                String id = String.format("past-%03d", r);
                RunLog log = store.create(id, null, String.format(SPEC, points), 3);
                for (int i = 0; i < points; i++) {
                    m.iteration = i;
                    m.cost = 0.7 / (1 + i * 1e-3) + r * 1e-6;
                    m.accuracy = 0.5 + 0.5 * i / points;
                    for (int l = 0; l < 3; l++) {
                        m.weightNorms[l] = 1 + l + i * 1e-5;
                        m.gradientNorms[l] = 0.1 / (1 + i * 1e-4) + l * 1e-3;
                    }
                    m.validationCost = Double.NaN;
                    m.validationAccuracy = Double.NaN;
                    log.append(m);
                }
                store.setStatus(id, RunStatus.FINISHED, null);
            }
        }
        System.out.printf("wrote %d runs of %d points each%n", runs, points);
    }

    /** Returns the heap a server holds after start-up beyond what was held before it. */
    private static long measure(Path data, int runs, long serverHeap) throws Exception {
        long before = usedHeap();
        Vertx vertx = Vertx.vertx();
        long start = System.nanoTime();
        Server server = Server.start(vertx, ServerConfig.defaults().withPort(0).withDataDir(data))
                .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        double startMs = (System.nanoTime() - start) / 1e6;
        long listed = usedHeap();
        if (server.runs().list().size() != runs) {
            throw new AssertionError("listed " + server.runs().list().size() + " of " + runs);
        }
        if (runs == 0) {
            stop(server, vertx);
            return listed - before;
        }
        double openMs = readEvery(server);
        long opened = usedHeap();
        // A second pass reads runs the first pass read; with more runs than the store keeps open, each reopens.
        double againMs = readEvery(server);
        long readTwice = usedHeap();
        System.out.printf("%d runs: start-up %.0f ms (store opened, runs listed, verticles deployed); heap %.1f KB"
                        + " per listed run; first read of every run %.0f ms (%.1f ms each), then %.2f MB per run"
                        + " read (%.0f MB held); second read %.1f ms each, then %.0f MB held%n",
                runs, startMs, (listed - before - serverHeap) / 1024.0 / runs, openMs, openMs / runs,
                (opened - listed) / 1048576.0 / runs, (opened - listed) / 1048576.0, againMs / runs,
                (readTwice - listed) / 1048576.0);
        stop(server, vertx);
        return listed - before;
    }

    /** Reads every run's points as a viewer's overlay does; returns the milliseconds taken. */
    private static double readEvery(Server server) {
        long start = System.nanoTime();
        for (Run run : server.runs().list()) {
            run.history().downsampled(0, run.history().size(), 4000);
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static void stop(Server server, Vertx vertx) throws Exception {
        server.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
