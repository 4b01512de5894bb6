package io.trainscope.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.trainscope.nn.Dataset;
import io.trainscope.nn.Init;
import io.trainscope.nn.Network;
import io.trainscope.nn.StepMetrics;
import io.trainscope.point.Downsampled;
import io.trainscope.nn.Trainer;
import io.trainscope.store.RunLog;
import io.trainscope.run.RunStatus;
import io.trainscope.store.RunStore;
import io.trainscope.store.StoreOptions;
import io.trainscope.wire.MetricsJson;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The figures of docs/storage.md, for the [2,16,16,1] network:
 * {@code mvn -q -DskipTests package && java -cp target/trainscope.jar:target/test-classes io.trainscope.bench.StoreBench [dir]}
 * (the data directory defaults to target/store-bench and is deleted afterwards). Each figure is the median of
 * several runs, with the min and max beside it.
 */
public final class StoreBench {

    private static final int[] LAYERS = {2, 16, 16, 1};
    private static final int DEPTH = LAYERS.length - 1;
    private static final int TRAINED = 100_000;
    private static final int HISTORY_BUCKETS = 256;
    private static final JsonFactory JSON = new JsonFactory();

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args.length > 0 ? args[0] : "target/store-bench");
        deleteRecursively(dataDir);
        StepMetrics[] trained = train();
        try (RunStore store = RunStore.open(dataDir)) {
            bytesPerIteration(store, trained);
            throughput(store, trained);
            warmUp(store, trained);
            for (long n : new long[] {100_000, 1_000_000, 10_000_000}) {
                lateViewer(store, dataDir, trained, n);
            }
        } finally {
            deleteRecursively(dataDir);
        }
    }

    /** Real metrics: full-batch training on 200 XOR-labelled points in the square. */
    private static StepMetrics[] train() {
        SplittableRandom r = new SplittableRandom(1);
        int m = 200;
        double[] x = new double[2 * m];
        double[] y = new double[m];
        for (int j = 0; j < m; j++) {
            x[j] = r.nextDouble(-1, 1);
            x[m + j] = r.nextDouble(-1, 1);
            y[j] = x[j] * x[m + j] > 0 ? 1 : 0;
        }
        Trainer trainer = new Trainer(Network.create(LAYERS, Init.HE, 7), new Dataset(2, m, x, y), null, 0.1);
        StepMetrics[] out = new StepMetrics[TRAINED];
        for (int i = 0; i < TRAINED; i++) {
            out[i] = trainer.newMetrics();
            trainer.step(out[i]);
        }
        return out;
    }

    /** Point {@code i} of a long run: the trained curve, replayed with the iteration shifted. */
    private static StepMetrics replay(StepMetrics[] trained, long i, StepMetrics into) {
        StepMetrics src = trained[(int) (i % trained.length)];
        into.iteration = i;
        into.cost = src.cost;
        into.accuracy = src.accuracy;
        System.arraycopy(src.weightNorms, 0, into.weightNorms, 0, DEPTH);
        System.arraycopy(src.gradientNorms, 0, into.gradientNorms, 0, DEPTH);
        into.validationCost = src.validationCost;
        into.validationAccuracy = src.validationAccuracy;
        return into;
    }

    private static void bytesPerIteration(RunStore store, StepMetrics[] trained) throws IOException {
        RunLog log = store.create("size", null, "{}", DEPTH);
        for (StepMetrics m : trained) {
            log.append(m);
        }
        store.setStatus("size", RunStatus.FINISHED, null);
        System.out.printf("bytes per iteration, %d trained iterations of %s: %.1f (raw values: %d)%n",
                TRAINED, Arrays.toString(LAYERS), (double) log.bytes() / log.points(), 8 * (1 + 2 * DEPTH + 4));
    }

    /**
     * Wall-clock rates depend on what else the machine runs (this VM's two cores are shared), so CPU time per
     * point is measured too, for the appending thread and for the store's writer thread: the writer's
     * capacity on one free core is 1e9 / its nanoseconds per point.
     */
    private static void throughput(RunStore store, StepMetrics[] trained) throws IOException {
        int n = 5_000_000;
        int rounds = 5;
        double[] perSecond = new double[rounds];
        double[] callerCpu = new double[rounds];
        double[] writerCpu = new double[rounds];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        StepMetrics m = new StepMetrics(DEPTH);
        for (int round = 0; round < rounds; round++) {
            String id = "throughput-" + round;
            RunLog log = store.create(id, null, "{}", DEPTH);
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            for (long i = 0; i < n; i++) {
                log.append(replay(trained, i, m));
            }
            callerCpu[round] = (threads.getCurrentThreadCpuTime() - cpuStart) / (double) n;
            log.flush();
            long end = System.nanoTime();
            perSecond[round] = n / ((end - start) / 1e9);
            writerCpu[round] = writerThreadCpu(threads, id) / (double) n;
            store.setStatus(id, RunStatus.FINISHED, null);
            store.delete(id);
        }
        System.out.println("sustained write throughput, points/s (appended by one thread, written by the store's): "
                + stats(perSecond, "%.3g"));
        System.out.println("CPU per point, appending thread, ns (append + the bench's copy of the point): "
                + stats(callerCpu, "%.0f"));
        double[] capacity = Arrays.stream(writerCpu).map(ns -> 1e9 / ns).toArray();
        System.out.println("CPU per point, writer thread, ns (encode, CRC, write, summary): " + stats(writerCpu, "%.0f")
                + " = capacity " + stats(capacity, "%.3g") + " points/s on one core");
    }

    private static long writerThreadCpu(ThreadMXBean threads, String runId) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("trainscope-store-" + runId)) {
                return threads.getThreadCpuTime(t.getId());
            }
        }
        throw new IllegalStateException("no writer thread for " + runId);
    }

    private static void lateViewer(RunStore store, Path dataDir, StepMetrics[] trained, long n) throws IOException {
        String id = "history-" + n;
        RunLog log = store.create(id, null, "{}", DEPTH);
        StepMetrics m = new StepMetrics(DEPTH);
        for (long i = 0; i < n; i++) {
            log.append(replay(trained, i, m));
        }
        log.flush();
        System.out.printf("%n%,d iterations (%,d bytes on disk)%n", n, log.bytes());
        history("  history for a late viewer, live run", log, 0, Long.MAX_VALUE);
        history("  zoom into the middle 1%", log, n / 2, n / 2 + n / 100);
        store.setStatus(id, RunStatus.FINISHED, null);
        long heapWriting = log.heapBytes();

        try (RunStore reopened = RunStore.open(dataDir)) {
            long before = usedHeap();
            long start = System.nanoTime();
            RunLog cold = reopened.log(id);
            double openMs = (System.nanoTime() - start) / 1e6;
            long after = usedHeap();
            System.out.printf("  reopening the finished run (checks every block's CRC, loads summary.bin): %.0f ms%n", openMs);
            history("  history after reopening", cold, 0, Long.MAX_VALUE);
            System.out.printf("  heap held by the open run: %,d bytes by count, %,d measured (GC delta)%n",
                    cold.heapBytes(), after - before);
            System.out.printf("  heap held while it was being written, by count: %,d bytes (+ block buffers)%n", heapWriting);
        }
        // As after a crash: no summary.bin, so every block is decoded and the summary rebuilt.
        Files.delete(dataDir.resolve("runs").resolve(id).resolve("summary.bin"));
        try (RunStore reopened = RunStore.open(dataDir)) {
            long start = System.nanoTime();
            reopened.log(id);
            System.out.printf("  reopening it without summary.bin (decodes every block, rebuilds the summary): %.0f ms%n",
                    (System.nanoTime() - start) / 1e6);
        }
    }

    /** Times the first call apart: it is the one a late viewer waits for, the others show the warm cost. */
    private static void history(String what, RunLog log, long from, long to) throws IOException {
        int rounds = 7;
        double[] millis = new double[rounds];
        double firstMillis = 0;
        int bytes = 0;
        int points = 0;
        for (int round = -1; round < rounds; round++) {
            long start = System.nanoTime();
            Downsampled s = log.downsampled(from, to, HISTORY_BUCKETS);
            byte[] message = historyMessage(s);
            double took = (System.nanoTime() - start) / 1e6;
            if (round < 0) {
                firstMillis = took;
            } else {
                millis[round] = took;
            }
            bytes = message.length;
            points = s.points().size();
        }
        System.out.printf("%s: %d points, %,d bytes of JSON; summary + encoding: first call %.2f ms, then %s ms%n",
                what, points, bytes, firstMillis, stats(millis, "%.2f"));
    }

    /** Compiles the summary and encoding paths before anything is timed, so that figures show steady state. */
    private static void warmUp(RunStore store, StepMetrics[] trained) throws IOException {
        RunLog log = store.create("warm-up", null, "{}", DEPTH);
        StepMetrics m = new StepMetrics(DEPTH);
        for (long i = 0; i < 300_000; i++) {
            log.append(replay(trained, i, m));
        }
        log.flush();
        for (int round = 0; round < 200; round++) {
            historyMessage(log.downsampled(0, Long.MAX_VALUE, HISTORY_BUCKETS));
            historyMessage(log.downsampled(round * 1000L, round * 1000L + 5000, HISTORY_BUCKETS));
            historyMessage(log.downsampled(round * 1000L, round * 1000L + 100_000, HISTORY_BUCKETS));
        }
        store.setStatus("warm-up", RunStatus.FINISHED, null);
        store.delete("warm-up");
    }

    /** The contract's history message, encoded as the server would. */
    private static byte[] historyMessage(Downsampled s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", "history");
            g.writeStringField("runId", "r");
            g.writeArrayFieldStart("points");
            for (int p = 0; p < s.points().size(); p++) {
                MetricsJson.writePoint(g, s.points(), p);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static String stats(double[] values, String format) {
        double[] v = values.clone();
        Arrays.sort(v);
        return String.format("median " + format + " (min " + format + ", max " + format + ", %d runs)",
                v[v.length / 2], v[0], v[v.length - 1], v.length);
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
