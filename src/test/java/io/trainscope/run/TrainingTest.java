package io.trainscope.run;

import io.trainscope.nn.Layer;
import io.trainscope.nn.StepMetrics;
import io.trainscope.spec.RunSpec;
import io.trainscope.spec.SpecException;
import io.trainscope.spec.SpecLimits;
import io.trainscope.spec.SpecParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingTest {

    @TempDir
    Path dir;

    private Training prepare(String json) throws SpecException {
        return Training.prepare(SpecParser.parse(json, SpecLimits.DEFAULT, dir));
    }

    @Test
    void buildsTheNetworkAndHoldsOutTheValidationFraction() throws SpecException {
        Training t = prepare("""
                {"layers": [2, 8, 1], "learningRate": 0.1, "iterations": 10, "validationSplit": 0.25,
                 "dataset": {"name": "circle", "samples": 100}}""");
        assertEquals(75, t.train().samples());
        assertEquals(25, t.validation().samples());
        assertArrayEquals(new int[] {2, 8, 1}, t.trainer().network().sizes());
        StepMetrics m = t.trainer().newMetrics();
        t.trainer().step(m);
        assertTrue(Double.isFinite(m.validationCost), "validation metrics are measured");
    }

    @Test
    void theSameSpecGivesTheSameRunBitForBit() throws SpecException {
        String json = """
                {"layers": [2, 6, 1], "learningRate": 0.3, "iterations": 50, "init": "xavier", "seed": 11,
                 "validationSplit": 0.2, "dataset": {"name": "spiral", "samples": 60, "noise": 0.2}}""";
        double[] a = run(prepare(json));
        double[] b = run(prepare(json));
        assertArrayEquals(a, b);
        assertNotEquals(a[0], run(prepare(json.replace("\"seed\": 11", "\"seed\": 12")))[0]);
    }

    private static double[] run(Training t) {
        StepMetrics m = t.trainer().newMetrics();
        double[] costs = new double[(int) t.spec().iterations()];
        for (int i = 0; i < costs.length; i++) {
            t.trainer().step(m);
            costs[i] = m.cost;
        }
        return costs;
    }

    @Test
    void initialParametersOverrideInit() throws SpecException {
        Training t = prepare("""
                {"layers": [2, 1], "learningRate": 0.1, "iterations": 1, "init": "seed",
                 "data": {"X": [[1, 2], [3, 4]], "Y": [[0, 1]]},
                 "initialParameters": {"W1": [[0.5, -0.25]], "b1": [[0.125]]}}""");
        Layer layer = t.trainer().network().parameters().get(0);
        assertArrayEquals(new double[] {0.5, -0.25}, layer.weights());
        assertArrayEquals(new double[] {0.125}, layer.biases());
        assertNull(t.validation());
    }

    @Test
    void readsACsvFileRelativeToTheSpec() throws Exception {
        Files.writeString(dir.resolve("points.csv"), "a,b,c,label\n1,2,3,0\n4,5,6,1\n");
        Training t = prepare("""
                {"layers": [3, 1], "learningRate": 0.1, "iterations": 1, "data": {"csv": "points.csv"}}""");
        assertEquals(3, t.train().features());
        assertEquals(2, t.train().samples());
    }

    @Test
    void aCsvFileMustFitTheInputLayer() throws Exception {
        Files.writeString(dir.resolve("points.csv"), "1,2,3,0\n4,5,6,1\n");
        SpecException e = assertThrows(SpecException.class, () -> prepare("""
                {"layers": [2, 1], "learningRate": 0.1, "iterations": 1, "data": {"csv": "points.csv"}}"""));
        assertEquals("layers[0]", e.field());
        assertTrue(e.getMessage().contains("data's 3 features (csv points.csv), got 2"), e.getMessage());
    }

    @Test
    void aSplitThatLeavesNothingToTrainOnNamesTheField() {
        SpecException e = assertThrows(SpecException.class, () -> prepare("""
                {"layers": [1, 1], "learningRate": 0.1, "iterations": 1, "validationSplit": 0.5,
                 "data": {"X": [[1]], "Y": [[1]]}}"""));
        assertEquals("validationSplit", e.field());
    }

    @Test
    void prepareTakesARunSpecBuiltInCode() throws SpecException {
        RunSpec spec = SpecParser.parse("""
                {"layers": [4, 3, 1], "learningRate": 0.1, "iterations": 1, "dataset": {"name": "gaussian"}}""",
                SpecLimits.DEFAULT, null);
        assertEquals(4, Training.prepare(spec).train().features());
    }
}
