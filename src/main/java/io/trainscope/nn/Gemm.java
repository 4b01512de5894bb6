package io.trainscope.nn;

/**
 * One implementation of the three matrix products that training needs, on flat row-major {@code double[]}.
 * Each overwrites {@code c}; none checks shapes ({@link Kernels} does, once, before choosing an implementation).
 * Every implementation computes each element of {@code c} the same way on every call, so a run is
 * reproducible bit for bit on the same machine.
 */
public interface Gemm {

    /** {@code c[m×n] = alpha · a[m×k] · b[k×n]}. */
    void mul(double alpha, double[] a, double[] b, double[] c, int m, int k, int n);

    /** {@code c[m×n] = alpha · a[m×k] · bᵀ}, where {@code b} is {@code n×k}. */
    void mulTransB(double alpha, double[] a, double[] b, double[] c, int m, int k, int n);

    /** {@code c[m×n] = alpha · aᵀ · b[k×n]}, where {@code a} is {@code k×m}. */
    void mulTransA(double alpha, double[] a, double[] b, double[] c, int m, int k, int n);

    /** A short name for benchmarks and logs. */
    String name();
}
