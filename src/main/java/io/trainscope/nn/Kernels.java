package io.trainscope.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Dense matrix products on flat row-major {@code double[]}, the only heavy arithmetic of training.
 * Shapes are checked at entry (as EJML's {@code MatrixMatrixMult_DDRM} does); outputs are caller-supplied
 * and overwritten, so training allocates nothing per iteration.
 *
 * <p>Each product goes to the {@link Gemm} that is fastest for its size (measured in docs/performance.md):
 * small products stay in plain Java on the calling thread, where the cost of a native call or of waking
 * another thread would exceed the arithmetic; larger ones go to a native BLAS when one loads
 * ({@link NativeGemm}: the bundled OpenBLAS, or the system's, as {@link #use} allows), else to the Java kernels
 * on every core ({@link ParallelGemm}). The native library is chosen and loaded once per process, on the first
 * large product or the first {@link #description()}; tiny networks never load it. The choice depends on the
 * shape, the machine and {@link #use} only, so a run is reproducible bit for bit on the same machine.
 */
public final class Kernels {

    /** Multiply-adds ({@code m·k·n}) from which a native BLAS beats Java on one thread. */
    static final long NATIVE_FROM = 1L << 11;
    /** Multiply-adds from which the Java kernels on every core beat one core. */
    static final long PARALLEL_FROM = 1L << 18;
    /** Threads of the Java kernels on large products: every core (two at least, for the tests). */
    private static final int PARALLEL_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private static KernelChoice requested = KernelChoice.AUTO;
    private static volatile KernelSelection selection;

    private Kernels() {
    }

    /**
     * Which native library large products may use; call it before the first product (the edge does, from the
     * user's option). Asking again for the same choice is allowed.
     *
     * @throws IllegalStateException if the kernels were already chosen otherwise in this process
     */
    public static synchronized void use(KernelChoice choice) {
        KernelSelection s = selection;
        if (s != null && s.choice != choice) {
            throw new IllegalStateException("the matrix products already use " + description() + " (chosen as "
                    + s.choice.wire() + "); a process chooses once");
        }
        requested = choice;
    }

    /**
     * What computes large products, for people: {@code "OpenBLAS 0.3.31 (bundled, 2 threads)"}, or
     * {@code "Java (2 threads)"} followed by why no native library is used when one was allowed. Loads the
     * native library if no product has yet.
     */
    public static String description() {
        KernelSelection s = selection();
        if (s.nativeGemm != null) {
            return s.words;
        }
        return "Java (" + PARALLEL_THREADS + " threads)" + (s.words == null ? "" : ": " + s.words);
    }

    /**
     * What computes products of at most {@code largest} multiply-adds ({@code m·k·n}): {@link #description()},
     * except that a run whose products are all below the native threshold says so and loads nothing.
     */
    public static String description(long largest) {
        if (largest < NATIVE_FROM) {
            return "Java (1 thread: every product is below " + NATIVE_FROM + " multiply-adds)";
        }
        KernelSelection s = selection();
        if (s.nativeGemm == null && largest < PARALLEL_FROM) {
            return "Java (1 thread)" + (s.words == null ? "" : ": " + s.words);
        }
        return description();
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

    /** Every implementation this process can run, the fallbacks first: for tests and benchmarks. */
    public static List<Gemm> implementations() {
        List<Gemm> all = new ArrayList<>(List.of(JavaGemm.INSTANCE, Parallel.GEMM));
        Gemm nativeGemm = selection().nativeGemm;
        if (nativeGemm != null) {
            all.add(nativeGemm);
        }
        return all;
    }

    /** The implementation that {@link #mul} and its siblings use for an {@code m×k} by {@code k×n} product. */
    public static Gemm choose(int m, int k, int n) {
        long size = (long) m * k * n;
        if (size < NATIVE_FROM) {
            return JavaGemm.INSTANCE;
        }
        Gemm nativeGemm = selection().nativeGemm;
        if (nativeGemm != null) {
            return nativeGemm;
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

    /** Made on the first large product, so that small runs never pay for loading a native library. */
    private static KernelSelection selection() {
        KernelSelection s = selection;
        if (s == null) {
            synchronized (Kernels.class) {
                s = selection;
                if (s == null) {
                    s = KernelSelection.select(requested, Runtime.getRuntime().availableProcessors());
                    selection = s;
                }
            }
        }
        return s;
    }

    /** Started on first use, and only on a machine without a native BLAS or in tests and benchmarks. */
    private static final class Parallel {
        static final ParallelGemm GEMM = new ParallelGemm(PARALLEL_THREADS);
    }
}
