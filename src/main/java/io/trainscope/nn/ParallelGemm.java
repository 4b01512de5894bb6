package io.trainscope.nn;

/**
 * {@link JavaGemm} on every core: the output is cut into fixed bands, of rows when it has at least as many
 * rows as columns and of columns otherwise, and each thread computes whole elements of its band. The k-sum of
 * an element is never split, so the result is the single-threaded one bit for bit, whatever the number of
 * threads. The caller computes the first band itself; a small fixed set of daemon threads ({@link Workers})
 * computes the others. One product at a time: callers on several threads take turns.
 *
 * <p>Handing a product to the workers costs some microseconds (a semaphore release, a thread wake-up),
 * which is why {@link Kernels} sends only large products here.
 */
final class ParallelGemm implements Gemm {

    private final int threads;
    private final Workers workers;
    /** Made once: a method reference made per product would allocate on every one. */
    private final Workers.Task task = this::computeBand;

    // The product in progress, written by the caller before it releases the workers (which publishes it).
    private double alpha;
    private double[] a;
    private double[] b;
    private double[] c;
    private int rowStride;
    private int depthStride;
    private int m;
    private int k;
    private int n;
    private double[] untransposed;

    ParallelGemm(int threads) {
        this.threads = threads;
        this.workers = new Workers(threads, "trainscope-gemm");
    }

    @Override
    public void mul(double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        run(alpha, a, k, 1, b, c, m, k, n, null);
    }

    /**
     * Cut by columns of c, so that each thread transposes only the rows of b that its band reads: the
     * transposition, a tenth of the time on one thread, is shared too.
     */
    @Override
    public void mulTransB(double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        if (n < threads) {
            run(alpha, a, k, 1, JavaGemm.transposed(b, n, k), c, m, k, n, null);
        } else {
            run(alpha, a, k, 1, JavaGemm.buffer(n * k), c, m, k, n, b);
        }
    }

    @Override
    public void mulTransA(double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        run(alpha, a, 1, m, b, c, m, k, n, null);
    }

    @Override
    public String name() {
        return "java×" + threads;
    }

    /** With {@code untransposed} not null, each band first fills its columns of {@code b} from it. */
    private synchronized void run(double alpha, double[] a, int rowStride, int depthStride, double[] b, double[] c,
                                  int m, int k, int n, double[] untransposed) {
        this.alpha = alpha;
        this.a = a;
        this.b = b;
        this.c = c;
        this.rowStride = rowStride;
        this.depthStride = depthStride;
        this.m = m;
        this.k = k;
        this.n = n;
        this.untransposed = untransposed;
        try {
            workers.run(task);
        } finally {
            this.a = null;
            this.b = null;
            this.c = null;
            this.untransposed = null;
        }
    }

    private void computeBand(int band) {
        if (untransposed != null) {
            int j0 = bandStart(band, n);
            int j1 = bandStart(band + 1, n);
            JavaGemm.transpose(untransposed, n, k, b, j0, j1);
            JavaGemm.block(alpha, a, rowStride, depthStride, b, c, k, n, 0, m, j0, j1);
        } else if (m >= n) {
            JavaGemm.block(alpha, a, rowStride, depthStride, b, c, k, n, bandStart(band, m), bandStart(band + 1, m), 0, n);
        } else {
            JavaGemm.block(alpha, a, rowStride, depthStride, b, c, k, n, 0, m, bandStart(band, n), bandStart(band + 1, n));
        }
    }

    private int bandStart(int band, int size) {
        return workers.bandStart(band, size);
    }
}
