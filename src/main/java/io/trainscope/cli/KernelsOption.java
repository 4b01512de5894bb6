package io.trainscope.cli;

import io.trainscope.nn.KernelChoice;
import io.trainscope.nn.Kernels;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --kernels auto|bundled|system|java}, mixed into {@code serve} and {@code train}: which native library
 * computes the large matrix products (docs/performance.md, "Choosing the kernels"). From the environment too,
 * so that a script or service file can set it once for every command.
 */
public final class KernelsOption {

    /** The line both commands print once, before they train or serve. */
    static final String LINE = "matrix products: ";

    @Option(names = "--kernels", paramLabel = "WHICH", defaultValue = "${env:TRAINSCOPE_KERNELS:-auto}",
            converter = Converter.class,
            description = "Matrix products: auto (the bundled OpenBLAS, else the system's BLAS, else Java), bundled,"
                    + " system or java (default: $TRAINSCOPE_KERNELS, else auto).")
    KernelChoice choice;

    /** Hands the choice to the numeric core; the reason when this process already chose otherwise, else null. */
    String apply() {
        try {
            Kernels.use(choice);
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    static final class Converter implements ITypeConverter<KernelChoice> {
        @Override
        public KernelChoice convert(String value) {
            try {
                return KernelChoice.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage() + " (from --kernels or $TRAINSCOPE_KERNELS)");
            }
        }
    }
}
