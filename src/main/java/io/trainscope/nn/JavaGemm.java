package io.trainscope.nn;

import java.util.Arrays;

/**
 * The products in plain Java, on one thread, shaped so that C2 vectorises the inner loop: each row of
 * {@code c} is built as a sum of rows of {@code b} scaled by elements of {@code a} (the i-k-j order), four
 * rows of {@code b} per pass over the row of {@code c}, so that a pass does four multiply-adds for each
 * load and store of {@code c}. Blocks of columns and depth keep the part of {@code b} in use within
 * the caches on large products. {@code c·bᵀ} first transposes {@code b} into a per-thread buffer that grows
 * once and is reused, so that the same loop serves all three products.
 *
 * <p>Every element is summed over k in order, {@code ((a₀b₀ + a₁b₁) + a₂b₂) + …}, then scaled by alpha:
 * the result does not depend on the blocking or on how the output is split between threads, and equals
 * the naive triple loop bit for bit.
 */
final class JavaGemm implements Gemm {

    static final JavaGemm INSTANCE = new JavaGemm();

    /** Columns of {@code c} per block: a row of c (4 KB) and four rows of b stay in L1 during a pass. */
    private static final int COLUMN_BLOCK = 512;
    /** Depth per block: the {@code 128 × 512} block of b in use (512 KB) stays in L2 across the rows of c. */
    private static final int DEPTH_BLOCK = 128;

    private static final ThreadLocal<double[]> TRANSPOSED = ThreadLocal.withInitial(() -> new double[0]);

    private JavaGemm() {
    }

    @Override
    public void mul(double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        block(alpha, a, k, 1, b, c, k, n, 0, m, 0, n);
    }

    @Override
    public void mulTransB(double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        block(alpha, a, k, 1, transposed(b, n, k), c, k, n, 0, m, 0, n);
    }

    @Override
    public void mulTransA(double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        block(alpha, a, 1, m, b, c, k, n, 0, m, 0, n);
    }

    @Override
    public String name() {
        return "java";
    }

    /**
     * Rows {@code [i0, i1)} and columns {@code [j0, j1)} of {@code c[·×n] = alpha · A · b[k×n]}, where
     * element (i, p) of A is {@code a[i·rowStride + p·depthStride]}: {@code (k, 1)} for A itself, {@code (1, m)}
     * for the transpose of a {@code k×m} array.
     */
    static void block(double alpha, double[] a, int rowStride, int depthStride, double[] b, double[] c,
                      int k, int n, int i0, int i1, int j0, int j1) {
        for (int i = i0; i < i1; i++) {
            Arrays.fill(c, i * n + j0, i * n + j1, 0.0);
        }
        for (int jb = j0; jb < j1; jb += COLUMN_BLOCK) {
            int je = Math.min(j1, jb + COLUMN_BLOCK);
            for (int pb = 0; pb < k; pb += DEPTH_BLOCK) {
                int pe = Math.min(k, pb + DEPTH_BLOCK);
                for (int i = i0; i < i1; i++) {
                    accumulateRow(a, i * rowStride, depthStride, b, c, i * n, n, pb, pe, jb, je);
                }
            }
        }
        if (alpha != 1.0) {
            for (int i = i0; i < i1; i++) {
                for (int j = i * n + j0, end = i * n + j1; j < end; j++) {
                    c[j] *= alpha;
                }
            }
        }
    }

    /** {@code c[ci + j] += Σ_{p in [pb, pe)} A(i, p) · b[p·n + j]} for j in {@code [jb, je)}, p in order. */
    private static void accumulateRow(double[] a, int ai, int depthStride, double[] b, double[] c, int ci, int n,
                                      int pb, int pe, int jb, int je) {
        int p = pb;
        for (; p + 3 < pe; p += 4) {
            double a0 = a[ai + p * depthStride];
            double a1 = a[ai + (p + 1) * depthStride];
            double a2 = a[ai + (p + 2) * depthStride];
            double a3 = a[ai + (p + 3) * depthStride];
            int b0 = p * n;
            int b1 = b0 + n;
            int b2 = b1 + n;
            int b3 = b2 + n;
            // Java adds left to right: this is ((((c + a0·b0) + a1·b1) + a2·b2) + a3·b3), the sequential sum.
            for (int j = jb; j < je; j++) {
                c[ci + j] = c[ci + j] + a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
            }
        }
        for (; p < pe; p++) {
            double ap = a[ai + p * depthStride];
            int bp = p * n;
            for (int j = jb; j < je; j++) {
                c[ci + j] += ap * b[bp + j];
            }
        }
    }

    /** {@code b[rows×cols]} transposed into this thread's buffer ({@code cols×rows}), valid until its next call. */
    static double[] transposed(double[] b, int rows, int cols) {
        double[] t = buffer(rows * cols);
        transpose(b, rows, cols, t, 0, rows);
        return t;
    }

    /** This thread's transposition buffer, at least {@code size} long; it grows once and is then reused. */
    static double[] buffer(int size) {
        double[] t = TRANSPOSED.get();
        if (t.length < size) {
            t = new double[size];
            TRANSPOSED.set(t);
        }
        return t;
    }

    /** Rows {@code [r0, r1)} of {@code b[rows×cols]} into the same columns of {@code t[cols×rows]}. */
    static void transpose(double[] b, int rows, int cols, double[] t, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int br = r * cols;
            for (int q = 0; q < cols; q++) {
                t[q * rows + r] = b[br + q];
            }
        }
    }
}
