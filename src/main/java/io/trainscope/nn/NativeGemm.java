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
 * same bits on every run. Another machine may differ in the last bits from this one and from {@link JavaGemm}.
 */
final class NativeGemm implements Gemm {

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
        try {
            return Optional.of(new NativeGemm(NativeBLAS.getInstance()));
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        } finally {
            logger.setLevel(level);
        }
    }

    @Override
    public void mul(double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        blas.dgemm("N", "N", n, m, k, alpha, b, n, a, k, 0.0, c, n);
    }

    @Override
    public void mulTransB(double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        blas.dgemm("T", "N", n, m, k, alpha, b, k, a, k, 0.0, c, n);
    }

    @Override
    public void mulTransA(double alpha, double[] a, double[] b, double[] c, int m, int k, int n) {
        blas.dgemm("N", "T", n, m, k, alpha, b, n, a, m, 0.0, c, n);
    }

    @Override
    public String name() {
        return "native";
    }
}
