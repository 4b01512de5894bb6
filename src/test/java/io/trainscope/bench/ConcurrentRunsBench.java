package io.trainscope.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.bus.Addresses;
import io.trainscope.server.bus.CommandReply;
import io.trainscope.server.bus.NewRun;
import io.trainscope.server.bus.RunCommand;
import io.trainscope.server.bus.RunView;
import io.trainscope.spec.StrictJson;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What a run's speed becomes when N train at once on this machine (issue 11, docs/performance.md "Several runs at
 * once"): N unpaced runs of one spec started together (--max-running N), trained for a warm-up, then counted over
 * a window; printed per run (slowest, fastest) and in all, for N = 1, 2, 4 and 8, each the median of three rounds.
 * Prints figures; asserts nothing.
 *
 * <p>{@code java -cp target/trainscope.jar:target/test-classes io.trainscope.bench.ConcurrentRunsBench [window-s]}
 */
public final class ConcurrentRunsBench {

    private static final String SPEC = "{\"layers\": [2, 32, 32, 1], \"learningRate\": 0.1, \"iterations\": 100000000,"
            + " \"seed\": %d, \"dataset\": {\"name\": \"spiral\", \"samples\": 400}}";

    private ConcurrentRunsBench() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        double window = args.length > 0 ? Double.parseDouble(args[0]) : 4;
        System.out.printf("%d cores; each figure the median of 3 rounds of %.0f s%n",
                Runtime.getRuntime().availableProcessors(), window);
        for (int n : new int[] {1, 2, 4, 8}) {
            double[] total = new double[3];
            double[] slowest = new double[3];
            double[] fastest = new double[3];
            for (int round = 0; round < 3; round++) {
                double[] perRun = round(n, window);
                Arrays.sort(perRun);
                slowest[round] = perRun[0];
                fastest[round] = perRun[n - 1];
                total[round] = Arrays.stream(perRun).sum();
            }
            System.out.printf("N=%d: per run %.0f it/s (slowest; fastest %.0f, ratio %.2f), all together %.0f it/s%n", n,
                    median(slowest), median(fastest), median(slowest) / median(fastest), median(total));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Iterations a second of each of n runs training at once. */
    private static double[] round(int n, double window) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Server server = Server.start(vertx, ServerConfig.defaults().withPort(0).withSlots(n, 0))
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            List<NewRun> runs = new ArrayList<>();
            for (int s = 0; s < n; s++) {
                runs.add(NewRun.single((ObjectNode) StrictJson.read(String.format(SPEC, s + 1))));
            }
            CommandReply reply = vertx.eventBus().<CommandReply>request(Addresses.COMMANDS, RunCommand.start(runs))
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS).body();
            if (!reply.succeeded()) {
                throw new IllegalStateException(reply.error());
            }
            Thread.sleep(1500);
            long[] before = counts(server);
            long start = System.nanoTime();
            Thread.sleep((long) (window * 1000));
            long[] after = counts(server);
            double seconds = (System.nanoTime() - start) / 1e9;
            double[] rates = new double[n];
            for (int i = 0; i < n; i++) {
                rates[i] = (after[i] - before[i]) / seconds;
            }
            server.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            return rates;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    private static long[] counts(Server server) {
        List<RunView> runs = server.runs().list();
        long[] counts = new long[runs.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = runs.get(i).history().size();
        }
        return counts;
    }
}
