package io.trainscope.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * What a {@link KernelChoice} became on this machine, decided once per process: the native {@link Gemm} for
 * large products, or none, and the words that say which and why.
 */
final class KernelSelection {

    final KernelChoice choice;
    /** The native implementation, or null: the Java kernels compute every product. */
    final Gemm nativeGemm;
    /** {@code "OpenBLAS 0.3.31 (bundled, 2 threads)"}, or why no native library is used (null when chosen). */
    final String words;

    private KernelSelection(KernelChoice choice, Gemm nativeGemm, String words) {
        this.choice = choice;
        this.nativeGemm = nativeGemm;
        this.words = words;
    }

    /**
     * Tries the libraries that {@code choice} allows, in its order. The bundled one is tried first under
     * {@code auto}: it is the same build on every machine, and measured at least as fast as Debian's
     * (docs/performance.md). The system's is tried after it only when the bundled one did not load at all,
     * since netlib's binding, once it has opened a library, keeps it.
     */
    static KernelSelection select(KernelChoice choice, int threads) {
        List<String> failures = new ArrayList<>();
        if (choice == KernelChoice.AUTO || choice == KernelChoice.BUNDLED) {
            String path;
            try {
                path = BundledOpenBlas.load();
            } catch (RuntimeException | LinkageError e) {
                path = null;
                failures.add("the bundled OpenBLAS has no build for " + platform() + " or it did not load ("
                        + e.getMessage() + ")");
            }
            if (path != null) {
                try {
                    Gemm gemm = NativeGemm.load(path, "bundled", threads);
                    return new KernelSelection(choice, gemm,
                            BundledOpenBlas.VERSION + " (bundled, " + threads + (threads == 1 ? " thread)" : " threads)"));
                } catch (IllegalStateException e) {
                    return java(choice, List.of("the bundled OpenBLAS: " + e.getMessage()));
                }
            }
        }
        if (choice == KernelChoice.AUTO || choice == KernelChoice.SYSTEM) {
            try {
                Gemm gemm = NativeGemm.load(null, "system", 0);
                return new KernelSelection(choice, gemm, "system BLAS (" + mapped("libblas.so") + ")");
            } catch (IllegalStateException e) {
                failures.add("the system BLAS: " + e.getMessage());
            }
        }
        return java(choice, failures);
    }

    private static KernelSelection java(KernelChoice choice, List<String> failures) {
        if (!failures.isEmpty() && choice != KernelChoice.AUTO) {
            // Asked for by name and not had: say so where a log is read, as well as in the description.
            Logger.getLogger(Kernels.class.getName()).warning("matrix products in Java: " + String.join("; ", failures));
        }
        return new KernelSelection(choice, null, failures.isEmpty() ? null : String.join("; ", failures));
    }

    private static String platform() {
        try {
            return BundledOpenBlas.platform();
        } catch (RuntimeException | LinkageError e) {
            return System.getProperty("os.name") + "-" + System.getProperty("os.arch");
        }
    }

    /**
     * The file of the first library mapped into this process whose path contains {@code fragment}, read from
     * Linux's {@code /proc/self/maps}: {@code libblas.so.3} is a link (Debian's alternatives) to whichever BLAS
     * is installed. The fragment itself where that file cannot be read.
     */
    static String mapped(String fragment) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.map(line -> line.substring(line.indexOf('/') < 0 ? line.length() : line.indexOf('/')))
                    .filter(file -> file.contains(fragment)).findFirst().orElse(fragment);
        } catch (IOException | RuntimeException e) {
            return fragment;
        }
    }
}
