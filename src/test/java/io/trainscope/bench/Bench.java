package io.trainscope.bench;

import io.trainscope.nn.Dataset;
import io.trainscope.nn.Gemm;
import io.trainscope.nn.Init;
import io.trainscope.nn.Kernels;
import io.trainscope.nn.Network;
import io.trainscope.nn.StepMetrics;
import io.trainscope.nn.Trainer;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Prints the speed of each matrix-product implementation and of whole training iterations at the three
 * sizes of {@code shared/peer/speed.py}. Each figure is the median of {@link #SAMPLES} timed samples after a
 * warm-up, with the slowest and fastest sample beside it: the machine is shared, so read the spread.
 *
 * <pre>mvn -q -DskipTests package test-compile &amp;&amp; java -cp target/trainscope.jar:target/test-classes io.trainscope.bench.Bench [kernels|train]</pre>
 */
public final class Bench {

    private static final int SAMPLES = 7;
    /** Products of the speed.py networks, as {m, k, n}: forward W·A, and the largest of each layer's backward. */
    private static final int[][] PRODUCTS = {
        {4, 3, 5}, {64, 30, 569}, {32, 64, 569}, {128, 256, 2048}, {256, 784, 2048}, {256, 2048, 784},
    };
    private static final Object[][] NETWORKS = {
        {"tiny", new int[] {3, 4, 4, 1}, 5, 200_000},
        {"medium", new int[] {30, 64, 32, 1}, 569, 300},
        {"large", new int[] {784, 256, 128, 1}, 2048, 8},
    };

    private Bench() {
    }

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        String what = args.length > 0 ? args[0] : "all";
        System.out.println("implementations: " + Kernels.implementations().stream().map(Gemm::name).toList()
                + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        if (!what.equals("train")) {
            kernels();
        }
        if (!what.equals("kernels")) {
            training();
        }
    }

    private static void kernels() {
        System.out.println("GFLOP/s (2·m·k·n per product): median [min–max] of " + SAMPLES + " samples");
        for (int[] shape : PRODUCTS) {
            int m = shape[0];
            int k = shape[1];
            int n = shape[2];
            SplittableRandom random = new SplittableRandom(1);
            double[] a = gaussian(random, m * k);
            double[] b = gaussian(random, k * n);
            double[] bt = gaussian(random, n * k);
            double[] at = gaussian(random, k * m);
            double[] c = new double[m * n];
            System.out.printf("%d×%d·%d×%d (Kernels picks %s)%n", m, k, k, n, Kernels.choose(m, k, n).name());
            for (Gemm gemm : Kernels.implementations()) {
                double flops = 2.0 * m * k * n;
                String mul = rate(flops, () -> gemm.mul(1.0, a, b, c, m, k, n));
                String transB = rate(flops, () -> gemm.mulTransB(1.0, a, bt, c, m, k, n));
                String transA = rate(flops, () -> gemm.mulTransA(1.0, at, b, c, m, k, n));
                System.out.printf("  %-8s A·B %-22s A·Bᵀ %-22s Aᵀ·B %s%n", gemm.name(), mul, transB, transA);
            }
        }
    }

    private static void training() {
        System.out.println("training iteration (Trainer.step): median [min–max] µs/iteration of " + SAMPLES + " samples");
        for (Object[] net : NETWORKS) {
            int[] sizes = (int[]) net[1];
            int m = (int) net[2];
            int iterations = (int) net[3];
            SplittableRandom random = new SplittableRandom(1);
            double[] y = new double[m];
            for (int j = 0; j < m; j++) {
                y[j] = random.nextBoolean() ? 1 : 0;
            }
            Dataset data = new Dataset(sizes[0], m, gaussian(random, sizes[0] * m), y);
            Trainer trainer = new Trainer(Network.create(sizes, Init.HE, 1), data, null, 0.01);
            StepMetrics metrics = trainer.newMetrics();
            double[] micros = new double[SAMPLES];
            for (int s = -2; s < SAMPLES; s++) {
                long t = System.nanoTime();
                for (int i = 0; i < iterations; i++) {
                    trainer.step(metrics);
                }
                if (s >= 0) {
                    micros[s] = (System.nanoTime() - t) / 1e3 / iterations;
                }
            }
            Arrays.sort(micros);
            double flops = 6.0 * m * flopsPerSample(sizes);
            System.out.printf("  %-6s %-18s m=%-5d %10.2f µs/it [%.2f–%.2f]  %.2f GFLOP/s (speed.py's count)%n",
                    net[0], Arrays.toString(sizes), m, micros[SAMPLES / 2], micros[0], micros[SAMPLES - 1],
                    flops / micros[SAMPLES / 2] / 1e3);
        }
    }

    private static long flopsPerSample(int[] sizes) {
        long sum = 0;
        for (int l = 1; l < sizes.length; l++) {
            sum += (long) sizes[l] * sizes[l - 1];
        }
        return sum;
    }

    /** Median [min–max] GFLOP/s of {@code task}, each sample repeating it for at least 0.2 s. */
    private static String rate(double flops, Runnable task) {
        int reps = 1;
        long t = System.nanoTime();
        task.run();
        while (System.nanoTime() - t < 50_000_000L) {
            reps *= 2;
            t = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                task.run();
            }
        }
        reps = (int) Math.max(1, reps * 200_000_000L / Math.max(1, System.nanoTime() - t));
        double[] rates = new double[SAMPLES];
        for (int s = 0; s < SAMPLES; s++) {
            t = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                task.run();
            }
            rates[s] = flops * reps / (System.nanoTime() - t);
        }
        Arrays.sort(rates);
        return String.format("%.2f [%.1f–%.1f]", rates[SAMPLES / 2], rates[0], rates[SAMPLES - 1]);
    }

    private static double[] gaussian(SplittableRandom random, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

}
