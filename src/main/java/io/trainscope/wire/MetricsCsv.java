package io.trainscope.wire;

/**
 * Metrics points as CSV: a header row, then one row per point. Per-layer norms get a column each
 * ({@code weightNorm1..L}, {@code gradientNorm1..L}); validation columns only when the run holds examples
 * out. A non-finite value is an empty cell, the CSV counterpart of {@link MetricsJson}'s {@code null}.
 */
public final class MetricsCsv {

    private MetricsCsv() {
    }

    public static String header(int depth, boolean validation) {
        StringBuilder out = new StringBuilder("iteration,cost,accuracy");
        for (int l = 1; l <= depth; l++) {
            out.append(",weightNorm").append(l);
        }
        for (int l = 1; l <= depth; l++) {
            out.append(",gradientNorm").append(l);
        }
        if (validation) {
            out.append(",validationCost,validationAccuracy");
        }
        return out.append('\n').toString();
    }

    public static void row(StringBuilder out, long iteration, double cost, double accuracy, double[] weightNorms,
                           double[] gradientNorms, boolean validation, double validationCost,
                           double validationAccuracy) {
        out.append(iteration);
        cell(out, cost);
        cell(out, accuracy);
        for (double v : weightNorms) {
            cell(out, v);
        }
        for (double v : gradientNorms) {
            cell(out, v);
        }
        if (validation) {
            cell(out, validationCost);
            cell(out, validationAccuracy);
        }
        out.append('\n');
    }

    private static void cell(StringBuilder out, double value) {
        out.append(',');
        if (Double.isFinite(value)) {
            out.append(value);
        }
    }
}
