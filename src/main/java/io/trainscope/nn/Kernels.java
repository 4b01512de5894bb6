package io.trainscope.nn;

/**
 * Dense matrix products on flat row-major {@code double[]}, the only heavy arithmetic of training.
 * Shapes are checked at entry (as EJML's {@code MatrixMatrixMult_DDRM} does); outputs are caller-supplied
 * and overwritten, so training allocates nothing per iteration.
 */
public final class Kernels {

    private Kernels() {
    }

    /** {@code c[m×n] = alpha · a[m×k] · b[k×n]}. */
    public static void mul(double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        checkShapes(a, m * k, b, k * n, c, m * n);
        for (int i = 0; i < m; i++) {
            int ci = i * n;
            java.util.Arrays.fill(c, ci, ci + n, 0.0);
            for (int p = 0; p < k; p++) {
                double aip = alpha * a[i * k + p];
                int bp = p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aip * b[bp + j];
                }
            }
        }
    }

    /** {@code c[m×n] = alpha · a[m×k] · bᵀ}, where {@code b} is {@code n×k}. */
    public static void mulTransB(double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        checkShapes(a, m * k, b, n * k, c, m * n);
        for (int i = 0; i < m; i++) {
            int ai = i * k;
            for (int j = 0; j < n; j++) {
                int bj = j * k;
                double sum = 0.0;
                for (int p = 0; p < k; p++) {
                    sum += a[ai + p] * b[bj + p];
                }
                c[i * n + j] = alpha * sum;
            }
        }
    }

    /** {@code c[m×n] = alpha · aᵀ · b[k×n]}, where {@code a} is {@code k×m}. */
    public static void mulTransA(double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        checkShapes(a, k * m, b, k * n, c, m * n);
        java.util.Arrays.fill(c, 0, m * n, 0.0);
        for (int p = 0; p < k; p++) {
            int ap = p * m;
            int bp = p * n;
            for (int i = 0; i < m; i++) {
                double api = alpha * a[ap + i];
                int ci = i * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += api * b[bp + j];
                }
            }
        }
    }

    private static void checkShapes(double[] a, int aSize, double[] b, int bSize, double[] c, int cSize) {
        if (a.length < aSize || b.length < bSize || c.length < cSize) {
            throw new IllegalArgumentException("matrix shapes do not match: need " + aSize + ", " + bSize
                    + " and " + cSize + " values, have " + a.length + ", " + b.length + " and " + c.length);
        }
    }
}
