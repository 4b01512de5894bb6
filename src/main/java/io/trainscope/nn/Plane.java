package io.trainscope.nn;

/**
 * A rectangle of the input plane of a network with two inputs: where its examples lie, with a margin, as a
 * decision-boundary view draws it. {@code x} is the first feature, {@code y} the second.
 */
public record Plane(double xMin, double xMax, double yMin, double yMax) {

    /** Each side is pushed out by this fraction of the data's extent, so that no example sits on the border. */
    public static final double MARGIN = 0.1;

    public Plane {
        if (!(xMax > xMin && yMax > yMin) || !Double.isFinite(xMax - xMin) || !Double.isFinite(yMax - yMin)) {
            throw new IllegalArgumentException("a plane needs finite xMin < xMax and yMin < yMax, got [" + xMin + ", "
                    + xMax + "] × [" + yMin + ", " + yMax + "]");
        }
    }

    /**
     * The smallest rectangle holding every finite example of {@code sets} (null ones skipped), widened by
     * {@link #MARGIN} of its extent on each side; an extent of zero (all examples on one line) is widened by 1.
     *
     * @throws IllegalArgumentException unless every set has exactly two features
     */
    public static Plane around(Dataset... sets) {
        double[] x = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] y = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (Dataset set : sets) {
            if (set == null) {
                continue;
            }
            if (set.features() != 2) {
                throw new IllegalArgumentException("a plane holds examples of 2 features, got " + set.features());
            }
            int m = set.samples();
            extend(x, set.x(), 0, m);
            extend(y, set.x(), m, 2 * m);
        }
        return new Plane(x[0] - margin(x), x[1] + margin(x), y[0] - margin(y), y[1] + margin(y));
    }

    private static void extend(double[] range, double[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Double.isFinite(values[i])) {
                range[0] = Math.min(range[0], values[i]);
                range[1] = Math.max(range[1], values[i]);
            }
        }
    }

    private static double margin(double[] range) {
        if (range[0] > range[1]) {
            // No finite example at all: the unit square around 0.
            range[0] = 0;
            range[1] = 0;
        }
        double extent = range[1] - range[0];
        return extent > 0 ? MARGIN * extent : 1;
    }
}
