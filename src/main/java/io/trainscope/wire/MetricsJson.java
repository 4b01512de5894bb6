package io.trainscope.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import io.trainscope.point.Column;
import io.trainscope.point.Kind;
import io.trainscope.point.Layout;
import io.trainscope.point.Points;
import io.trainscope.point.Schema;

import java.io.IOException;

/**
 * The one place where a metrics point becomes JSON (CONTRACT.md, "Metrics: one point per iteration"):
 * {@code {"iteration": i, "cost": c, ..., "weightNorms": [...], ...}}, a field for each column of the
 * {@link Schema}, in its order: a number for a {@link Kind#RUN} column, an array with one number per layer for
 * the others. An {@link Column#optional() optional} column is left out when NaN (the validation columns of a
 * run that holds nothing out).
 *
 * <p>NaN and ±Infinity are written as {@code null}: JSON has no such numbers, and replacing them with 0 (as
 * DL4J's UI did) would hide exactly the divergence a user is looking for.
 */
public final class MetricsJson {

    private MetricsJson() {
    }

    /** Point {@code p} of {@code points}. */
    public static void writePoint(JsonGenerator out, Points points, int p) throws IOException {
        Layout layout = points.layout();
        int depth = layout.depth();
        out.writeStartObject();
        out.writeNumberField("iteration", points.iteration(p));
        for (Column column : layout.columns()) {
            int lane = layout.offset(column);
            if (column.kind() == Kind.RUN) {
                double value = points.value(lane, p);
                if (!(column.optional() && Double.isNaN(value))) {
                    writeNumber(out, column.name(), value);
                }
            } else {
                out.writeArrayFieldStart(column.name());
                for (int k = 0, width = column.kind().width(depth); k < width; k++) {
                    writeNumber(out, points.value(lane + k, p));
                }
                out.writeEndArray();
            }
        }
        out.writeEndObject();
    }

    /** A number, or {@code null} when it is not finite. */
    public static void writeNumber(JsonGenerator out, String field, double value) throws IOException {
        out.writeFieldName(field);
        writeNumber(out, value);
    }

    public static void writeNumber(JsonGenerator out, double value) throws IOException {
        if (Double.isFinite(value)) {
            out.writeNumber(value);
        } else {
            out.writeNull();
        }
    }
}
