package io.trainscope.nn;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The products by a native BLAS {@code dgemm}: the OpenBLAS bundled in the jar ({@link BundledOpenBlas}) or the
 * system's {@code libblas.so.3} (OpenBLAS from Debian's {@code libopenblas0-pthread}, for example), called
 * through netlib's JNI binding, which pins the Java arrays rather than copying them.
 *
 * <p>BLAS is column-major; a row-major {@code r×s} array read column-major is its {@code s×r} transpose. So
 * row-major {@code C = op(A)·op(B)} is column-major {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}: each product passes b before
 * a, with {@code n} and {@code m} swapped.
 *
 * <p>Reproducibility: OpenBLAS splits a product between its threads by blocks of the output, never the k-sum,
 * and fixes its kernel when it loads (from the CPU, or the {@code OPENBLAS_CORETYPE} variable), so the same
 * machine computes the same bits on every run, whatever the thread count. The bands below depend on the shape
 * alone. Another machine may differ in the last bits from this one and from {@link JavaGemm}.
 */
final class NativeGemm implements Gemm {

    /** OpenBLAS computes a product of at most {@code 4 · 65536} multiply-adds on the calling thread alone. */
    static final long ONE_THREAD_MAX = 4L * 65536;
    /**
     * Products from this many multiply-adds are shared between threads: by the library's own threads for the
     * system's BLAS, by one call per thread on bands of the output for the bundled one. Smaller products run on
     * the calling thread, the system's in bands of rows of c, one call each, so that OpenBLAS does not share
     * them: on a quiet machine two threads gain little at this size; on a busy one a product split between two
     * threads waits for whichever is descheduled, several times slower.
     */
    static final long BANDS_BELOW = 1L << 22;

    /** netlib's binding opens this file instead of {@code libblas.so.3} when the property is set. */
    private static final String LIBRARY_PATH_PROPERTY = "dev.ludovic.netlib.blas.nativeLibPath";

    private final BLAS blas;
    private final String name;
    /** Whether the library computes every call on its calling thread (the bundled one is set so). */
    private final boolean callerOnly;
    /** With {@code callerOnly}, the threads that share a large product, one call each; null for one thread. */
    private final Workers workers;
    /** Made once: a method reference made per product would allocate on every one. */
    private final Workers.Task task = this::computeBand;

    // The shared product in progress, written by run() before it starts the workers (which publishes it).
    private Band band;
    private double alpha;
    private double[] a;
    private double[] b;
    private double[] c;
    private int m;
    private int k;
    private int n;

    private NativeGemm(BLAS blas, String name, int threads) {
        this.blas = blas;
        this.name = name;
        this.callerOnly = threads > 0;
        this.workers = threads > 1 ? new Workers(threads, "trainscope-blas") : null;
    }

    /**
     * netlib's binding on the library at {@code path}, or on the system's {@code libblas.so.3} when it is null,
     * once it has computed sample products right. The binding opens one library per process, the first one
     * asked for: a second call gets that one whatever its path.
     *
     * @param threads how many threads share a large product, each calling the library on its own band, for a
     *                library set to compute on its calling thread alone (the bundled one); 0 lets the library
     *                share products between its own threads (the system's, which we cannot set)
     * @throws IllegalStateException saying why the library cannot be used
     */
    static NativeGemm load(String path, String name, int threads) {
        if (path != null) {
            System.setProperty(LIBRARY_PATH_PROPERTY, path);
        }
        // netlib logs a warning for every implementation it fails to load; here that is an expected outcome.
        Logger logger = Logger.getLogger("dev.ludovic.netlib.blas");
        Level level = logger.getLevel();
        logger.setLevel(Level.OFF);
        BLAS blas;
        try {
            blas = NativeBLAS.getInstance();
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException((path == null ? "libblas.so.3" : path) + " did not load");
        } finally {
            logger.setLevel(level);
        }
        NativeGemm gemm = new NativeGemm(blas, name, threads);
        if (!gemm.agreesWithJava()) {
            throw new IllegalStateException("it computes wrong matrix products on this CPU");
        }
        return gemm;
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
        if (shared(m, k, n)) {
            run(Band.MUL_ROWS, alpha, a, b, c, m, k, n);
            return;
        }
        int rows = bandRows(m, k, n);
        for (int i = 0; i < m; i += rows) {
            mulRows(alpha, a, b, c, k, n, i, Math.min(m, i + rows));
        }
    }

    /**
     * Shared between threads, by bands of columns of c when it is wider than tall: each band's call packs all
     * of the operand it does not cut, and {@code a} ({@code m×k}) is then the smaller one.
     */
    @Override
    public void mulTransB(double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        if (shared(m, k, n)) {
            run(m < n ? Band.TRANS_B_COLUMNS : Band.TRANS_B_ROWS, alpha, a, b, c, m, k, n);
            return;
        }
        int rows = bandRows(m, k, n);
        for (int i = 0; i < m; i += rows) {
            transBRows(alpha, a, b, c, k, n, i, Math.min(m, i + rows));
        }
    }

    /**
     * A band of rows of c reads a band of columns of a here, and a band of columns of c one of b, both of which
     * netlib's bounds check refuses (it wants {@code ld · columns} values past the offset): when cut into bands,
     * this product is {@code mul} on a transposed copy of a ({@code m×k}, a {@code 1/n} share of the work).
     */
    @Override
    public void mulTransA(double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        if (shared(m, k, n) || bandRows(m, k, n) < m) {
            mul(alpha, JavaGemm.transposed(a, k, m), b, c, m, k, n);
        } else {
            blas.dgemm("N", "T", n, m, k, alpha, b, n, a, m, 0.0, c, n);
        }
    }

    /** Rows {@code [i0, i1)} of {@code c = alpha·a·b}. */
    private void mulRows(double alpha, double[] a, double[] b, double[] c, int k, int n, int i0, int i1) {
        blas.dgemm("N", "N", n, i1 - i0, k, alpha, b, 0, n, a, i0 * k, k, 0.0, c, i0 * n, n);
    }

    /** Rows {@code [i0, i1)} of {@code c = alpha·a·bᵀ}. */
    private void transBRows(double alpha, double[] a, double[] b, double[] c, int k, int n, int i0, int i1) {
        blas.dgemm("T", "N", n, i1 - i0, k, alpha, b, 0, k, a, i0 * k, k, 0.0, c, i0 * n, n);
    }

    /** Columns {@code [j0, j1)} of {@code c = alpha·a·bᵀ}: rows {@code [j0, j1)} of b. */
    private void transBColumns(double alpha, double[] a, double[] b, double[] c, int m, int k, int n, int j0, int j1) {
        blas.dgemm("T", "N", j1 - j0, m, k, alpha, b, j0 * k, k, a, 0, k, 0.0, c, j0, n);
    }

    /** Whether this product is shared between our threads, one call on a band of the output each. */
    private boolean shared(int m, int k, int n) {
        return workers != null && (long) m * k * n >= BANDS_BELOW;
    }

    private enum Band { MUL_ROWS, TRANS_B_ROWS, TRANS_B_COLUMNS }

    private synchronized void run(Band band, double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        this.band = band;
        this.alpha = alpha;
        this.a = a;
        this.b = b;
        this.c = c;
        this.m = m;
        this.k = k;
        this.n = n;
        try {
            workers.run(task);
        } finally {
            this.a = null;
            this.b = null;
            this.c = null;
        }
    }

    /** Equal bands fixed by the shape and thread count, so that each element's bits depend on neither. */
    private void computeBand(int w) {
        if (band == Band.TRANS_B_COLUMNS) {
            transBColumns(alpha, a, b, c, m, k, n, workers.bandStart(w, n), workers.bandStart(w + 1, n));
        } else {
            int i0 = workers.bandStart(w, m);
            int i1 = workers.bandStart(w + 1, m);
            if (band == Band.MUL_ROWS) {
                mulRows(alpha, a, b, c, k, n, i0, i1);
            } else {
                transBRows(alpha, a, b, c, k, n, i0, i1);
            }
        }
    }

    /**
     * Rows of c per call on the calling thread: all of them for a library that computes on its caller alone
     * (ours), or for a large product, which the system's OpenBLAS shares between its threads; else bands small
     * enough that OpenBLAS computes each on the calling thread.
     */
    private int bandRows(int m, int k, int n) {
        return callerOnly ? Math.max(m, 1) : systemBandRows(m, k, n);
    }

    /** {@link #bandRows} for the system's OpenBLAS, which shares products of more than {@link #ONE_THREAD_MAX}. */
    static int systemBandRows(int m, int k, int n) {
        long row = (long) k * n;
        if (m * row >= BANDS_BELOW) {
            return Math.max(m, 1);
        }
        return (int) Math.max(1, Math.min(m, ONE_THREAD_MAX / Math.max(row, 1)));
    }

    /** {@code bundled} or {@code system}; {@link Kernels#description()} says more. */
    @Override
    public String name() {
        return name;
    }
}
