package io.trainscope.wire;

/**
 * Numbers shortened for the wire where their full seventeen digits would only cost bytes: a 64×64 boundary is
 * 4096 numbers. Each rounds to a decimal of few digits and returns the double nearest it, which a shortest-repr
 * writer (Jackson's {@code USE_FAST_DOUBLE_WRITER}) prints as that decimal. A value that is not finite, or too
 * large or small for the rounding to be exact, is returned as it is.
 */
public final class Rounded {

    /** Powers of ten that doubles hold exactly. */
    private static final double[] TENS = new double[23];

    static {
        TENS[0] = 1;
        for (int i = 1; i < TENS.length; i++) {
            TENS[i] = TENS[i - 1] * 10;
        }
    }

    /** How a value goes to its decimal. */
    public enum Direction { NEAREST, DOWN, UP }

    private Rounded() {
    }

    /** {@code v} to {@code decimals} digits after the point (negative: to tens, hundreds, …). */
    public static double decimals(double v, int decimals, Direction direction) {
        if (!Double.isFinite(v) || decimals >= TENS.length || -decimals >= TENS.length) {
            return v;
        }
        double scale = decimals >= 0 ? TENS[decimals] : 1 / TENS[-decimals];
        double scaled = v * scale;
        if (Math.abs(scaled) >= 0x1p52) {
            return v;
        }
        double whole = switch (direction) {
            case NEAREST -> Math.rint(scaled);
            case DOWN -> Math.floor(scaled);
            case UP -> Math.ceil(scaled);
        };
        // A division by an exact power of ten, not a product with its inexact reciprocal: correctly rounded.
        return decimals >= 0 ? whole / TENS[decimals] : whole * TENS[-decimals];
    }

    public static double decimals(double v, int decimals) {
        return decimals(v, decimals, Direction.NEAREST);
    }

    /** {@code v} to {@code digits} significant digits. */
    public static double significant(double v, int digits) {
        if (v == 0 || !Double.isFinite(v)) {
            return v;
        }
        return decimals(v, digits - 1 - (int) Math.floor(Math.log10(Math.abs(v))));
    }

    /** Decimals that resolve {@code extent} to within {@code 10^-digits} of itself. */
    public static int decimalsFor(double extent, int digits) {
        if (!(extent > 0) || !Double.isFinite(extent)) {
            return 0;
        }
        return digits - (int) Math.floor(Math.log10(extent));
    }
}
