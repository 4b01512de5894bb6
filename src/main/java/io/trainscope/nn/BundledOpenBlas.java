package io.trainscope.nn;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The OpenBLAS that the jar carries: the JavaCPP presets' build ({@code org.bytedeco:openblas}, one binary for
 * every x86-64 CPU that picks its kernels when it loads). JavaCPP's loader unpacks it and its Fortran runtime
 * into its cache ({@code ~/.javacpp/cache}, or {@code -Dorg.bytedeco.javacpp.cachedir}) on the first start
 * after a new jar, and loads them from there; {@link NativeGemm} then calls its {@code dgemm} through netlib's
 * binding, which pins the Java arrays, where JavaCPP's own {@code double[]} overloads would copy them in and
 * out on every call (docs/performance.md).
 */
final class BundledOpenBlas {

    /** {@code "OpenBLAS 0.3.31"}: a constant of the binding, so reading it loads nothing. */
    static final String VERSION = openblas_nolapack.OPENBLAS_VERSION.trim();

    /** JavaCPP's name for the library, as it appears in {@link Loader#getLoadedLibraries()}. */
    private static final String LIBRARY = "openblas_nolapack@.0";

    private BundledOpenBlas() {
    }

    /**
     * Unpacks (when the cache lacks it) and loads the library, sets it to compute every call on its calling
     * thread, and returns the path of the loaded file.
     *
     * @throws UnsatisfiedLinkError when the jar has no build for this platform or it does not load
     */
    static String load() {
        Loader.load(openblas_nolapack.class);
        // NativeGemm shares large products between threads of its own, which wait on a semaphore when idle;
        // OpenBLAS's threads spin while they wait, and on a machine whose other core is busy that made a
        // product of the large network five times slower than on one thread (docs/performance.md).
        openblas_nolapack.blas_set_num_threads(1);
        String path = Loader.getLoadedLibraries().get(LIBRARY);
        if (path == null) {
            throw new UnsatisfiedLinkError("JavaCPP loaded no " + LIBRARY);
        }
        return path;
    }

    /** {@code linux-x86_64}, {@code macosx-arm64}, …: the platform as JavaCPP names its builds. */
    static String platform() {
        return Loader.getPlatform();
    }
}
