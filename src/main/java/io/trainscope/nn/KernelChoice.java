package io.trainscope.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which implementation computes the large matrix products ({@link Kernels}); small ones always stay in Java.
 * Whatever the choice, a native library is used only once it has computed a few sample products right.
 */
public enum KernelChoice {
    /** The bundled OpenBLAS, else the system's BLAS, else Java: the fastest that loads here. */
    AUTO,
    /** The OpenBLAS inside the jar (linux-x86_64), else Java. */
    BUNDLED,
    /** The system's {@code libblas.so.3} (Debian's {@code libopenblas0-pthread}, for example), else Java. */
    SYSTEM,
    /** The Java kernels alone, on every core for large products. */
    JAVA;

    /** The choice a user wrote ({@code auto}, {@code bundled}, {@code system} or {@code java}, any case). */
    public static KernelChoice parse(String text) {
        for (KernelChoice choice : values()) {
            if (choice.wire().equalsIgnoreCase(text.trim())) {
                return choice;
            }
        }
        throw new IllegalArgumentException("must be one of " + names() + ", got \"" + text + "\"");
    }

    /** Its name as users write it. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every name, for help texts: {@code auto, bundled, system, java}. */
    public static String names() {
        return Arrays.stream(values()).map(KernelChoice::wire).collect(Collectors.joining(", "));
    }
}
