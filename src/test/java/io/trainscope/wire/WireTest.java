package io.trainscope.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.trainscope.nn.StepMetrics;
import io.trainscope.point.Points;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A point as JSON and as CSV: every schema column, in the schema's order, and what a non-finite value becomes. */
class WireTest {

    /** A point of a two-layer network: cost, accuracy, two of each per-layer column, one hidden layer's dead units. */
    private static StepMetrics point(long iteration, double cost) {
        StepMetrics m = new StepMetrics(2);
        m.iteration = iteration;
        m.cost = cost;
        m.accuracy = 0.75;
        m.weightNorms[0] = 1.5;
        m.weightNorms[1] = 2.5;
        m.gradientNorms[0] = 0.125;
        m.gradientNorms[1] = 0.25;
        m.learningRate = 0.1;
        m.updateRatios[0] = 0.1 * 0.125 / 1.5;
        m.updateRatios[1] = 0.01;
        m.deadFractions[0] = 0.375;
        return m;
    }

    private static String json(Points points, int p) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = new JsonFactory().createGenerator(text)) {
            MetricsJson.writePoint(out, points, p);
        }
        return text.toString();
    }

    @Test
    void aPointIsOneJsonObjectInSchemaOrderAndLeavesOutValidationItDoesNotHave() throws IOException {
        Points points = new Points(2, 4);
        points.add(point(7, 0.5));
        assertEquals("{\"iteration\":7,\"cost\":0.5,\"accuracy\":0.75,\"weightNorms\":[1.5,2.5],"
                + "\"gradientNorms\":[0.125,0.25],\"learningRate\":0.1,\"updateRatios\":[0.008333333333333333,0.01],"
                + "\"deadFractions\":[0.375]}", json(points, 0));
    }

    @Test
    void validationIsWrittenWhenHeldOutAndNonFiniteNumbersAreNullNeverZero() throws IOException {
        StepMetrics m = point(3, Double.NaN);
        m.validationCost = Double.POSITIVE_INFINITY;
        m.validationAccuracy = 0.5;
        m.gradientNorms[1] = Double.NEGATIVE_INFINITY;
        Points points = new Points(2, 4);
        points.add(m);
        assertEquals("{\"iteration\":3,\"cost\":null,\"accuracy\":0.75,\"weightNorms\":[1.5,2.5],"
                + "\"gradientNorms\":[0.125,null],\"validationCost\":null,\"validationAccuracy\":0.5,"
                + "\"learningRate\":0.1,\"updateRatios\":[0.008333333333333333,0.01],\"deadFractions\":[0.375]}",
                json(points, 0));
    }

    @Test
    void csvHasOneColumnPerLayerAndTheValidationColumnsOnlyWhenTheFirstPointHasThem() {
        Points plain = new Points(2, 4);
        plain.add(point(0, 0.5));
        plain.add(point(1, Double.NaN));
        MetricsCsv csv = MetricsCsv.of(plain.layout(), plain);
        assertEquals("iteration,cost,accuracy,weightNorm1,weightNorm2,gradientNorm1,gradientNorm2,learningRate,"
                + "updateRatio1,updateRatio2,deadFraction1\n", csv.header());
        StringBuilder rows = new StringBuilder();
        csv.row(rows, plain, 0);
        csv.row(rows, plain, 1);
        assertEquals("0,0.5,0.75,1.5,2.5,0.125,0.25,0.1,0.008333333333333333,0.01,0.375\n"
                + "1,,0.75,1.5,2.5,0.125,0.25,0.1,0.008333333333333333,0.01,0.375\n", rows.toString(),
                "a non-finite value is an empty cell");

        StepMetrics held = point(0, 0.5);
        held.validationCost = 0.625;
        held.validationAccuracy = 0.5;
        Points validated = new Points(2, 4);
        validated.add(held);
        MetricsCsv withValidation = MetricsCsv.of(validated.layout(), validated);
        assertEquals("iteration,cost,accuracy,weightNorm1,weightNorm2,gradientNorm1,gradientNorm2,validationCost,"
                + "validationAccuracy,learningRate,updateRatio1,updateRatio2,deadFraction1\n", withValidation.header());
        StringBuilder row = new StringBuilder();
        withValidation.row(row, validated, 0);
        assertEquals("0,0.5,0.75,1.5,2.5,0.125,0.25,0.625,0.5,0.1,0.008333333333333333,0.01,0.375\n", row.toString());
    }

    @Test
    void anEmptyRunHasTheHeaderWithoutOptionalColumns() {
        Points none = new Points(1, 0);
        assertEquals("iteration,cost,accuracy,weightNorm1,gradientNorm1,learningRate,updateRatio1\n",
                MetricsCsv.of(none.layout(), none).header());
    }
}
