package io.trainscope.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Dense matrix products on flat row-major {@code double[]}, the only heavy arithmetic of training.
 * Shapes are checked at entry (as EJML's {@code MatrixMatrixMult_DDRM} does); outputs are caller-supplied
 * and overwritten, so training allocates nothing per iteration.
 *
 * <p>Each product goes to the {@link Gemm} that is fastest for its size (measured in docs/performance.md):
 * small products stay in plain Java on the calling thread, where the cost of a native call or of waking
 * another thread would exceed the arithmetic; larger ones go to the system's BLAS when it loads
 * ({@link NativeGemm}), else to the Java kernels on every core ({@link ParallelGemm}). The choice depends on
 * the shape and the machine only, so a run is reproducible bit for bit on the same machine.
 */
public final class Kernels {

    /** Multiply-adds ({@code m·k·n}) from which the system's BLAS beats Java on one thread. */
    static final long NATIVE_FROM = 1L << 11;
    /** Multiply-adds from which the Java kernels on every core beat one core. */
    static final long PARALLEL_FROM = 1L << 18;

    private Kernels() {
    }

    /** {@code c[m×n] = alpha · a[m×k] · b[k×n]}. */
    public static void mul(double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        checkShapes(a, m, k, b, k, n, c, m, n);
        choose(m, k, n).mul(alpha, a, b, c, m, k, n);
    }

    /** {@code c[m×n] = alpha · a[m×k] · bᵀ}, where {@code b} is {@code n×k}. */
    public static void mulTransB(double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        checkShapes(a, m, k, b, n, k, c, m, n);
        choose(m, k, n).mulTransB(alpha, a, b, c, m, k, n);
    }

    /** {@code c[m×n] = alpha · aᵀ · b[k×n]}, where {@code a} is {@code k×m}. */
    public static void mulTransA(double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        checkShapes(a, k, m, b, k, n, c, m, n);
        choose(m, k, n).mulTransA(alpha, a, b, c, m, k, n);
    }

    /** Every implementation this machine can run, the fallbacks first: for tests and benchmarks. */
    public static List<Gemm> implementations() {
        List<Gemm> all = new ArrayList<>(List.of(JavaGemm.INSTANCE, Parallel.GEMM));
        Native.GEMM.ifPresent(all::add);
        return all;
    }

    /** The implementation that {@link #mul} and its siblings use for an {@code m×k} by {@code k×n} product. */
    public static Gemm choose(int m, int k, int n) {
        long size = (long) m * k * n;
        if (size < NATIVE_FROM) {
            return JavaGemm.INSTANCE;
        }
        if (Native.GEMM.isPresent()) {
            return Native.GEMM.get();
        }
        return size < PARALLEL_FROM ? JavaGemm.INSTANCE : Parallel.GEMM;
    }

    private static void checkShapes(double[] a, int aRows, int aCols, double[] b, int bRows, int bCols,
                                    double[] c, int cRows, int cCols) {
        if (aRows < 0 || aCols < 0 || bCols < 0) {
            throw new IllegalArgumentException("matrix dimensions must not be negative, got " + aRows + "×" + aCols
                    + " and " + bRows + "×" + bCols);
        }
        if (a.length < aRows * aCols || b.length < bRows * bCols || c.length < cRows * cCols) {
            throw new IllegalArgumentException("matrix shapes do not match: need " + aRows + "×" + aCols + ", "
                    + bRows + "×" + bCols + " and " + cRows + "×" + cCols + " values, have " + a.length + ", "
                    + b.length + " and " + c.length);
        }
    }

    /** Loaded on the first large product, so that small runs never pay for loading the native library. */
    private static final class Native {
        static final Optional<Gemm> GEMM = NativeGemm.load();
    }

    /** Started on first use, and only on a machine without a native BLAS or in tests and benchmarks. */
    private static final class Parallel {
        static final ParallelGemm GEMM = new ParallelGemm(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }
}
