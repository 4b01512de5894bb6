package io.trainscope.nn;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;

import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The products by the system's BLAS {@code dgemm} (OpenBLAS from Debian's {@code libopenblas0-pthread}),
 * through netlib's JNI binding, which pins the Java arrays rather than copying them.
 *
 * <p>BLAS is column-major; a row-major {@code r×s} array read column-major is its {@code s×r} transpose. So
 * row-major {@code C = op(A)·op(B)} is column-major {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}: each product passes b before
 * a, with {@code n} and {@code m} swapped.
 *
 * <p>Reproducibility: OpenBLAS splits a product between its threads by blocks of the output, never the k-sum,
 * and fixes its thread count and kernel when it loads (the machine's core count and CPU, or the
 * {@code OPENBLAS_NUM_THREADS} and {@code OPENBLAS_CORETYPE} variables), so the same machine computes the
 * same bits on every run. The bands below depend on the shape alone. Another machine may differ in the last
 * bits from this one and from {@link JavaGemm}.
 */
final class NativeGemm implements Gemm {

    /** OpenBLAS computes a product of at most {@code 4 · 65536} multiply-adds on the calling thread alone. */
    static final long ONE_THREAD_MAX = 4L * 65536;
    /**
     * Products below this many multiply-adds are cut into bands of rows of c, one call each, so that OpenBLAS
     * runs them on the calling thread. On a quiet machine two threads gain little at this size; on a busy one
     * a product split between two threads waits for whichever is descheduled, several times slower.
     */
    static final long BANDS_BELOW = 1L << 22;

    private final BLAS blas;

    private NativeGemm(BLAS blas) {
        this.blas = blas;
    }

    /** The system's BLAS when its native library loads, else empty (and {@link Kernels} stays in Java). */
    static Optional<Gemm> load() {
        // netlib logs a warning for every implementation it fails to load; here that is an expected outcome.
        Logger logger = Logger.getLogger("dev.ludovic.netlib.blas");
        Level level = logger.getLevel();
        logger.setLevel(Level.OFF);
        NativeGemm gemm;
        try {
            gemm = new NativeGemm(NativeBLAS.getInstance());
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        } finally {
            logger.setLevel(level);
        }
        if (!gemm.agreesWithJava()) {
            Logger.getLogger(NativeGemm.class.getName()).warning(
                    "the system BLAS computes wrong matrix products on this CPU; training uses the Java kernels");
            return Optional.empty();
        }
        return Optional.of(gemm);
    }

    /**
     * Older OpenBLAS builds pick wrong kernels on some newer CPUs and return wrong products (the reason this
     * workplace sets {@code OPENBLAS_CORETYPE}): a product of every form, once whole and once in bands, is
     * checked before the library is trusted. Sampled entries are compared with their dot products rather than
     * a whole Java product, which would add tens of milliseconds of cold code to every start.
     */
    boolean agreesWithJava() {
        return agrees(96, 83, 640) && agrees(40, 33, 300);
    }

    private boolean agrees(int m, int k, int n) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        double[] a = random.doubles(m * k, -1, 1).toArray();
        double[] b = random.doubles(k * n, -1, 1).toArray();
        double[] at = new double[k * m];
        double[] bt = new double[n * k];
        JavaGemm.transpose(a, m, k, at, 0, m);
        JavaGemm.transpose(b, k, n, bt, 0, k);
        double[] ab = new double[m * n];
        double[] abt = new double[m * n];
        double[] atb = new double[m * n];
        mul(1.0, a, b, ab, m, k, n);
        mulTransB(1.0, a, bt, abt, m, k, n);
        mulTransA(1.0, at, b, atb, m, k, n);
        for (int sample = 0; sample < 64; sample++) {
            int i = random.nextInt(m);
            int j = random.nextInt(n);
            double expected = 0.0;
            for (int p = 0; p < k; p++) {
                expected += a[i * k + p] * b[p * n + j];
            }
            double tolerance = 1e-12 * k;
            int c = i * n + j;
            if (!(Math.abs(ab[c] - expected) <= tolerance && Math.abs(abt[c] - expected) <= tolerance
                    && Math.abs(atb[c] - expected) <= tolerance)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void mul(double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        int rows = bandRows(m, k, n);
        for (int i = 0; i < m; i += rows) {
            blas.dgemm("N", "N", n, Math.min(rows, m - i), k, alpha, b, 0, n, a, i * k, k, 0.0, c, i * n, n);
        }
    }

    @Override
    public void mulTransB(double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        int rows = bandRows(m, k, n);
        for (int i = 0; i < m; i += rows) {
            blas.dgemm("T", "N", n, Math.min(rows, m - i), k, alpha, b, 0, k, a, i * k, k, 0.0, c, i * n, n);
        }
    }

    /**
     * A band of rows of c reads a band of columns of a here, which netlib's bounds check refuses (it wants
     * {@code lda · k} values past the offset): when cut into bands, this product is {@code mul} on a
     * transposed copy of a ({@code m×k}, a {@code 1/n} share of the work).
     */
    @Override
    public void mulTransA(double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        if (bandRows(m, k, n) < m) {
            mul(alpha, JavaGemm.transposed(a, k, m), b, c, m, k, n);
        } else {
            blas.dgemm("N", "T", n, m, k, alpha, b, n, a, m, 0.0, c, n);
        }
    }

    /**
     * Rows of c per call: all of them for a large product, which OpenBLAS shares between its threads; for a
     * product below {@link #BANDS_BELOW}, bands small enough that OpenBLAS computes each on the calling thread.
     */
    static int bandRows(int m, int k, int n) {
        long row = (long) k * n;
        if (m * row >= BANDS_BELOW) {
            return Math.max(m, 1);
        }
        return (int) Math.max(1, Math.min(m, ONE_THREAD_MAX / Math.max(row, 1)));
    }

    @Override
    public String name() {
        return "native";
    }
}
