package io.trainscope.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every product implementation against a naive triple loop, on shapes that hit the edges of the blocking
 * (1×1, primes, just past a block) and on products that take the parallel and native paths.
 */
class KernelsTest {

    /** {m, k, n}: odd and prime shapes, one just past {@code JavaGemm}'s 512-column and 128-depth blocks. */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 7, 1}, {3, 1, 5}, {2, 3, 4}, {5, 4, 3}, {7, 13, 11}, {1, 131, 17}, {31, 1, 1},
        {17, 129, 513}, {64, 30, 67}, {3, 257, 2}, {61, 67, 71},
        // Past NativeGemm.BANDS_BELOW, shared between threads: odd bands of rows, and of columns when wider.
        {97, 211, 257}, {257, 211, 97},
    };

    /** Each implementation with 1 and 3 threads: odd bands of rows and, for wide outputs, of columns. */
    static Stream<Gemm> implementations() {
        List<Gemm> all = new ArrayList<>(Kernels.implementations());
        all.add(new ParallelGemm(3));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void everyProductMatchesTheNaiveLoop(Gemm gemm) {
        for (int[] shape : SHAPES) {
            check(gemm, shape[0], shape[1], shape[2]);
        }
    }

    @Test
    void theJavaKernelsAreTheNaiveSumBitForBit() {
        // They add over k in order, whatever the blocking and the number of threads.
        SplittableRandom random = new SplittableRandom(5);
        for (Gemm gemm : List.of(JavaGemm.INSTANCE, new ParallelGemm(2), new ParallelGemm(3))) {
            for (int[] shape : SHAPES) {
                int m = shape[0];
                int k = shape[1];
                int n = shape[2];
                double[] a = gaussian(random, m * k);
                double[] b = gaussian(random, k * n);
                double[] c = new double[m * n];
                gemm.mul(0.37, a, b, c, m, k, n);
                assertArrayEquals(naive(0.37, a, k, 1, b, n, 1, m, k, n), c, 0.0, gemm.name());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void theSameProductGivesTheSameBitsTwice(Gemm gemm) {
        int m = 96;
        int k = 784;
        int n = 300;
        SplittableRandom random = new SplittableRandom(9);
        double[] a = gaussian(random, m * k);
        double[] b = gaussian(random, k * n);
        double[] first = new double[m * n];
        double[] second = new double[m * n];
        for (int round = 0; round < 3; round++) {
            gemm.mul(1.0, a, b, first, m, k, n);
            gemm.mul(1.0, a, b, second, m, k, n);
            assertArrayEquals(first, second, 0.0);
        }
    }

    @Test
    void theDispatcherPicksByProductSize() {
        assertEquals(JavaGemm.INSTANCE, Kernels.choose(4, 4, 5), "tiny products stay on the calling thread");
        Gemm large = Kernels.choose(256, 784, 2048);
        assertTrue(large instanceof NativeGemm || large instanceof ParallelGemm, large.name());
        // Through the public entry points too, which route by size.
        check(null, 256, 300, 129);
    }

    @Test
    void theProcessNamesItsKernelsAndChoosesOnce() {
        String description = Kernels.description();
        if (BundledOpenBlas.platform().equals("linux-x86_64")) {
            // The platform the jar carries a build for, and CI's: the bundled library must load and pass its check.
            int threads = Runtime.getRuntime().availableProcessors();
            assertEquals("OpenBLAS 0.3.31 (bundled, " + threads + (threads == 1 ? " thread)" : " threads)"), description);
            assertEquals("bundled", Kernels.implementations().get(2).name());
        }
        assertEquals("Java (1 thread: every product is below 2048 multiply-adds)", Kernels.description(2047));
        assertEquals(description, Kernels.description(256L * 784 * 2048));
        Kernels.use(KernelChoice.AUTO);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Kernels.use(KernelChoice.JAVA));
        assertTrue(e.getMessage().contains("a process chooses once"), e.getMessage());
    }

    @Test
    void choicesAreReadInAnyCaseAndOthersRefusedWithTheList() {
        assertEquals(KernelChoice.BUNDLED, KernelChoice.parse(" Bundled"));
        assertEquals(KernelChoice.JAVA, KernelChoice.parse("java"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelChoice.parse("openblas"));
        assertEquals("must be one of auto, bundled, system, java, got \"openblas\"", e.getMessage());
    }

    @Test
    void nativeBandsKeepEachCallOnOneOpenBlasThreadBelowTheBandLimit() {
        assertEquals(15, NativeGemm.systemBandRows(64, 30, 569), "64×30·30×569 in bands of 15 rows");
        assertEquals(1, NativeGemm.systemBandRows(3, 1000, 1000), "a row past the limit still makes a band");
        assertEquals(256, NativeGemm.systemBandRows(256, 784, 2048), "large products go whole to OpenBLAS's threads");
        for (int[] shape : SHAPES) {
            int rows = NativeGemm.systemBandRows(shape[0], shape[1], shape[2]);
            assertTrue(rows >= 1 && rows <= shape[0], "rows " + rows);
            long size = (long) shape[0] * shape[1] * shape[2];
            assertTrue(size >= NativeGemm.BANDS_BELOW ? rows == shape[0]
                    : rows == 1 || (long) rows * shape[1] * shape[2] <= NativeGemm.ONE_THREAD_MAX, "rows " + rows);
        }
    }

    @Test
    void theOutputIsOverwrittenNotAccumulated() {
        for (Gemm gemm : implementations().toList()) {
            double[] c = {Double.NaN, 7, 7, 7};
            gemm.mul(1.0, new double[] {1, 2}, new double[] {3, 4, 5, 6}, c, 2, 1, 2);
            assertArrayEquals(new double[] {3, 4, 6, 8}, c, 0.0, gemm.name());
        }
    }

    @Test
    void mismatchedShapesAreRefusedWithTheNeededSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.mul(1.0, new double[6], new double[5], new double[4], 2, 3, 2));
        assertTrue(e.getMessage().contains("3×2"), e.getMessage());
    }

    /** The three products of {@code gemm} (the dispatcher when null) against the naive loop. */
    private static void check(Gemm gemm, int m, int k, int n) {
        SplittableRandom random = new SplittableRandom(31L * m + 7L * k + n);
        double[] a = gaussian(random, m * k);
        double[] at = gaussian(random, k * m);
        double[] b = gaussian(random, k * n);
        double[] bt = gaussian(random, n * k);
        double alpha = 1.0 / 3;
        double[] c = new double[m * n];
        String where = (gemm == null ? "Kernels" : gemm.name()) + " " + m + "×" + k + "×" + n;

        if (gemm == null) {
            Kernels.mul(alpha, a, b, c, m, k, n);
        } else {
            gemm.mul(alpha, a, b, c, m, k, n);
        }
        assertClose(naive(alpha, a, k, 1, b, n, 1, m, k, n), naive(alpha, abs(a), k, 1, abs(b), n, 1, m, k, n), c, k,
                where + " A·B");

        if (gemm == null) {
            Kernels.mulTransB(alpha, a, bt, c, m, k, n);
        } else {
            gemm.mulTransB(alpha, a, bt, c, m, k, n);
        }
        assertClose(naive(alpha, a, k, 1, bt, 1, k, m, k, n), naive(alpha, abs(a), k, 1, abs(bt), 1, k, m, k, n), c, k,
                where + " A·Bᵀ");

        if (gemm == null) {
            Kernels.mulTransA(alpha, at, b, c, m, k, n);
        } else {
            gemm.mulTransA(alpha, at, b, c, m, k, n);
        }
        assertClose(naive(alpha, at, 1, m, b, n, 1, m, k, n), naive(alpha, abs(at), 1, m, abs(b), n, 1, m, k, n), c, k,
                where + " Aᵀ·B");
    }

    /** {@code alpha · Σ_p A(i,p)·B(p,j)}, A(i,p) at {@code a[i·ai + p·ap]}, B(p,j) at {@code b[p·bp + j·bj]}. */
    private static double[] naive(double alpha, double[] a, int ai, int ap, double[] b, int bp, int bj,
                                  int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0.0;
                for (int p = 0; p < k; p++) {
                    sum += a[i * ai + p * ap] * b[p * bp + j * bj];
                }
                c[i * n + j] = alpha * sum;
            }
        }
        return c;
    }

    /**
     * Another summation order (blocks, fused multiply-adds) changes the rounding: each of two sums of k terms
     * is within {@code k·u·Σ|a·b|} of the exact one (Higham, Accuracy and Stability of Numerical Algorithms,
     * §3.1), with u the unit round-off; {@code magnitude} is {@code alpha·Σ|a·b|}.
     */
    private static void assertClose(double[] expected, double[] magnitude, double[] actual, int k, String where) {
        double u = Math.ulp(1.0) / 2;
        for (int i = 0; i < expected.length; i++) {
            double tolerance = 2 * (k + 1) * u * magnitude[i];
            assertEquals(expected[i], actual[i], tolerance, where + " at " + i);
        }
    }

    private static double[] abs(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.abs(v[i]);
        }
        return r;
    }

    private static double[] gaussian(SplittableRandom random, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }
}
