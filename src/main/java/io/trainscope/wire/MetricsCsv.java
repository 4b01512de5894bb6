package io.trainscope.wire;

import io.trainscope.point.Column;
import io.trainscope.point.Kind;
import io.trainscope.point.Layout;
import io.trainscope.point.Points;
import io.trainscope.point.Schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Metrics points as CSV: a header row, then one row per point, the {@link Schema}'s columns in its order: a
 * {@link Kind#RUN} column is one CSV column named as it is, a per-layer column one CSV column per layer
 * ({@code weightNorm1..L}). An {@link Column#optional() optional} column is there only when the first point has
 * it (the validation columns of a run that holds examples out). A non-finite value is an empty cell, the CSV
 * counterpart of {@link MetricsJson}'s {@code null}.
 */
public final class MetricsCsv {

    private final Layout layout;
    /** The layout's columns this export writes. */
    private final List<Column> columns;

    private MetricsCsv(Layout layout, List<Column> columns) {
        this.layout = layout;
        this.columns = columns;
    }

    /** The CSV of points of {@code layout}, with the optional columns that {@code first} (a run's first point) has. */
    public static MetricsCsv of(Layout layout, Points first) {
        List<Column> columns = new ArrayList<>();
        for (Column column : layout.columns()) {
            if (!column.optional() || !first.isEmpty() && !Double.isNaN(first.value(column, 0, 0))) {
                columns.add(column);
            }
        }
        return new MetricsCsv(layout, columns);
    }

    public String header() {
        StringBuilder out = new StringBuilder("iteration");
        for (Column column : columns) {
            if (column.kind() == Kind.RUN) {
                out.append(',').append(column.csvStem());
            } else {
                for (int k = 1; k <= column.kind().width(layout.depth()); k++) {
                    out.append(',').append(column.csvStem()).append(k);
                }
            }
        }
        return out.append('\n').toString();
    }

    /** Point {@code p} of {@code points} as one row. */
    public void row(StringBuilder out, Points points, int p) {
        out.append(points.iteration(p));
        for (Column column : columns) {
            int lane = layout.offset(column);
            for (int k = 0, width = column.kind().width(layout.depth()); k < width; k++) {
                cell(out, points.value(lane + k, p));
            }
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
