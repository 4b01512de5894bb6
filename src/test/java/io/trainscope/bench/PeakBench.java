package io.trainscope.bench;

import dev.ludovic.netlib.blas.NativeBLAS;
import io.trainscope.nn.Dataset;
import io.trainscope.nn.Gemm;
import io.trainscope.nn.Init;
import io.trainscope.nn.Kernels;
import io.trainscope.nn.Network;
import io.trainscope.nn.StepMetrics;
import io.trainscope.nn.Trainer;
import org.bytedeco.openblas.global.openblas_nolapack;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The machine's float64 matrix-product peak beside what the large speed.py network achieves, measured in turns
 * in one run so that both see the same machine: each round times a 2048² dgemm (through the kernels training
 * uses, and through OpenBLAS's own threads on the whole product), then large-network training iterations.
 * Prints each figure's median [min–max] over the rounds, and the network's share of the peak, by speed.py's
 * count of {@code 6·Σ n_l·n_(l-1)} flops per example and by the multiply-adds actually done (the input layer's
 * dA is never computed).
 *
 * <pre>mvn -q -DskipTests package test-compile &amp;&amp; java -cp target/trainscope.jar:target/test-classes io.trainscope.bench.PeakBench [rounds]</pre>
 */
public final class PeakBench {

    private static final int SIZE = 2048;
    private static final int[] LARGE = {784, 256, 128, 1};
    private static final int SAMPLES = 2048;
    private static final int ITERATIONS = 8;

    private PeakBench() {
    }

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        System.out.println("matrix products: " + Kernels.description() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, " + rounds + " rounds");
        List<Gemm> all = Kernels.implementations();
        Gemm kernels = all.get(all.size() - 1);
        boolean bundled = kernels.name().equals("bundled");

        SplittableRandom random = new SplittableRandom(1);
        double[] a = gaussian(random, SIZE * SIZE);
        double[] b = gaussian(random, SIZE * SIZE);
        double[] c = new double[SIZE * SIZE];
        Trainer trainer = largeTrainer(random);
        StepMetrics metrics = trainer.newMetrics();

        double[] ours = new double[rounds];
        double[] library = new double[rounds];
        double[] speedPy = new double[rounds];
        double[] actual = new double[rounds];
        double squareFlops = 2.0 * SIZE * SIZE * SIZE;
        for (int r = -1; r < rounds; r++) {
            long t = System.nanoTime();
            kernels.mul(1.0, a, b, c, SIZE, SIZE, SIZE);
            double oursRate = squareFlops / (System.nanoTime() - t);
            double libraryRate = Double.NaN;
            if (bundled) {
                // The whole product on OpenBLAS's own threads, then back to one thread per call, as NativeGemm needs.
                openblas_nolapack.blas_set_num_threads(Runtime.getRuntime().availableProcessors());
                t = System.nanoTime();
                NativeBLAS.getInstance().dgemm("N", "N", SIZE, SIZE, SIZE, 1.0, b, SIZE, a, SIZE, 0.0, c, SIZE);
                libraryRate = squareFlops / (System.nanoTime() - t);
                openblas_nolapack.blas_set_num_threads(1);
            }
            t = System.nanoTime();
            for (int i = 0; i < ITERATIONS; i++) {
                trainer.step(metrics);
            }
            double seconds = (System.nanoTime() - t) / 1e9 / ITERATIONS;
            if (r >= 0) {
                ours[r] = oursRate;
                library[r] = libraryRate;
                speedPy[r] = speedPyFlops() / seconds / 1e9;
                actual[r] = actualFlops() / seconds / 1e9;
            }
        }
        double peak = Math.max(median(ours), bundled ? median(library) : 0);
        System.out.println("2048² dgemm through " + kernels.name() + " (training's path): " + figure(ours) + " GFLOP/s");
        if (bundled) {
            System.out.println("2048² dgemm on OpenBLAS's own threads: " + figure(library) + " GFLOP/s");
        }
        System.out.printf("large %s m=%d, by speed.py's count: %s GFLOP/s, %.0f %% of the peak (%.1f)%n",
                Arrays.toString(LARGE), SAMPLES, figure(speedPy), 100 * median(speedPy) / peak, peak);
        System.out.printf("large, multiply-adds actually done: %s GFLOP/s, %.0f %% of the peak%n",
                figure(actual), 100 * median(actual) / peak);
    }

    private static Trainer largeTrainer(SplittableRandom random) {
        double[] y = new double[SAMPLES];
        for (int j = 0; j < SAMPLES; j++) {
            y[j] = random.nextBoolean() ? 1 : 0;
        }
        Dataset data = new Dataset(LARGE[0], SAMPLES, gaussian(random, LARGE[0] * SAMPLES), y);
        return new Trainer(Network.create(LARGE, Init.HE, 1), data, null, 0.01);
    }

    /** speed.py's count: {@code 6·Σ n_l·n_(l-1)} per example. */
    private static double speedPyFlops() {
        double weights = 0;
        for (int l = 1; l < LARGE.length; l++) {
            weights += (double) LARGE[l] * LARGE[l - 1];
        }
        return 6 * weights * SAMPLES;
    }

    /** Forward and dW for every layer, dZ for all but the input layer: 2 flops per multiply-add. */
    private static double actualFlops() {
        double madds = 0;
        for (int l = 1; l < LARGE.length; l++) {
            madds += (l == 1 ? 2.0 : 3.0) * LARGE[l] * LARGE[l - 1] * SAMPLES;
        }
        return 2 * madds;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static String figure(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return String.format("%.1f [%.1f–%.1f]", s[s.length / 2], s[0], s[s.length - 1]);
    }

    private static double[] gaussian(SplittableRandom random, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }
}
