package io.trainscope.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import io.trainscope.nn.StepMetrics;

import java.io.IOException;

/**
 * The one place where a metrics point becomes JSON (CONTRACT.md, "Metrics: one point per iteration"):
 * {@code {"iteration": i, "cost": c, "accuracy": a, "weightNorms": [...], "gradientNorms": [...]}}, plus
 * {@code validationCost} and {@code validationAccuracy} when the run holds examples out.
 *
 * <p>NaN and ±Infinity are written as {@code null}: JSON has no such numbers, and replacing them with 0 (as
 * DL4J's UI did) would hide exactly the divergence a user is looking for.
 */
public final class MetricsJson {

    private MetricsJson() {
    }

    public static void writePoint(JsonGenerator out, StepMetrics m) throws IOException {
        writePoint(out, m.iteration, m.cost, m.accuracy, m.weightNorms, m.gradientNorms,
                m.validationCost, m.validationAccuracy);
    }

    /** Writes one point; {@code validationCost} and {@code validationAccuracy} are left out when NaN. */
    public static void writePoint(JsonGenerator out, long iteration, double cost, double accuracy,
                                  double[] weightNorms, double[] gradientNorms,
                                  double validationCost, double validationAccuracy) throws IOException {
        out.writeStartObject();
        out.writeNumberField("iteration", iteration);
        writeNumber(out, "cost", cost);
        writeNumber(out, "accuracy", accuracy);
        writeArray(out, "weightNorms", weightNorms);
        writeArray(out, "gradientNorms", gradientNorms);
        if (!Double.isNaN(validationCost)) {
            writeNumber(out, "validationCost", validationCost);
        }
        if (!Double.isNaN(validationAccuracy)) {
            writeNumber(out, "validationAccuracy", validationAccuracy);
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

    private static void writeArray(JsonGenerator out, String field, double[] values) throws IOException {
        out.writeArrayFieldStart(field);
        for (double v : values) {
            writeNumber(out, v);
        }
        out.writeEndArray();
    }
}
