package io.trainscope.nn;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The update ratios and dead-ReLU fractions of a step, against numbers worked out here from the parameters and
 * the data alone: the update from the weights before and after the step, the dead units from pre-activations
 * computed by plain loops.
 */
class InsideColumnsTest {

    private static final int[] SIZES = {2, 4, 3, 1};

    /** x is features × samples, row-major, as the network takes it. */
    private static Dataset data(SplittableRandom random, int samples) {
        double[] x = new double[2 * samples];
        double[] y = new double[samples];
        for (int j = 0; j < samples; j++) {
            x[j] = random.nextDouble(-1, 1);
            x[samples + j] = random.nextDouble(-1, 1);
            y[j] = x[j] * x[samples + j] > 0 ? 1 : 0;
        }
        return new Dataset(2, samples, x, y);
    }

    private static double[] random(SplittableRandom random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextDouble(-1, 1);
        }
        return v;
    }

    @Test
    void updateRatiosAreTheUpdateOverTheWeightsAndDeadUnitsAreThoseNeverAboveZero() {
        SplittableRandom random = new SplittableRandom(11);
        Dataset data = data(random, 40);
        double[] w1 = random(random, 4 * 2);
        double[] b1 = random(random, 4);
        // Units 2 and 4 of the first hidden layer never fire on inputs in [-1, 1]²: |w·x| ≤ 2 < 5.
        b1[1] = -5;
        b1[3] = -5;
        double[] w2 = random(random, 3 * 4);
        double[] b2 = random(random, 3);
        b2[0] = -10;
        double[] w3 = random(random, 3);
        double[] b3 = {0.1};
        List<double[]> weights = List.of(w1, w2, w3);
        List<double[]> biases = List.of(b1, b2, b3);
        Network network = Network.of(SIZES, weights, biases);
        double rate = 0.3;
        Trainer trainer = new Trainer(network, data, null, rate);
        StepMetrics m = trainer.newMetrics();
        trainer.step(m);

        // Dead units, from the data and the parameters as they entered the step.
        double[] expectedDead = new double[2];
        double[] a = data.x();
        int inputs = 2;
        for (int l = 0; l < 2; l++) {
            int units = SIZES[l + 1];
            double[] next = new double[units * data.samples()];
            int dead = 0;
            for (int i = 0; i < units; i++) {
                boolean fired = false;
                for (int j = 0; j < data.samples(); j++) {
                    double z = biases.get(l)[i];
                    for (int k = 0; k < inputs; k++) {
                        z += weights.get(l)[i * inputs + k] * a[k * data.samples() + j];
                    }
                    next[i * data.samples() + j] = Math.max(z, 0);
                    fired |= z > 0;
                }
                dead += fired ? 0 : 1;
            }
            expectedDead[l] = (double) dead / units;
            a = next;
            inputs = units;
        }
        assertTrue(expectedDead[0] >= 0.5, "the two units made dead, at least");
        for (int l = 0; l < 2; l++) {
            assertEquals(expectedDead[l], m.deadFractions[l], 0.0, "dead fraction of hidden layer " + (l + 1));
        }

        // The update actually made, ‖W_after - W_before‖ / ‖W_before‖, per layer.
        for (int l = 0; l < 3; l++) {
            double[] before = weights.get(l);
            double[] after = network.parameters().get(l).weights();
            double change = 0;
            double size = 0;
            for (int i = 0; i < before.length; i++) {
                change += (after[i] - before[i]) * (after[i] - before[i]);
                size += before[i] * before[i];
            }
            assertEquals(Math.sqrt(change) / Math.sqrt(size), m.updateRatios[l], 1e-12 * m.updateRatios[l],
                    "update ratio of W" + (l + 1));
        }
    }

    @Test
    void aNetworkWithoutHiddenLayersHasNoDeadFractionsAndAZeroMatrixNoRatio() {
        SplittableRandom random = new SplittableRandom(3);
        Dataset data = data(random, 10);
        Network network = Network.of(new int[] {2, 1}, List.of(new double[2]), List.of(new double[1]));
        Trainer trainer = new Trainer(network, data, null, 0.1);
        StepMetrics m = trainer.newMetrics();
        trainer.step(m);
        assertEquals(0, m.deadFractions.length);
        assertEquals(Double.NaN, m.updateRatios[0], "W is zero: a ratio to it means nothing");
    }

    @Test
    void measuringAllocatesNothingPerStep() {
        SplittableRandom random = new SplittableRandom(5);
        Dataset data = data(random, 64);
        Network network = Network.create(SIZES, Init.HE, 5);
        Trainer trainer = new Trainer(network, data, null, 0.1);
        StepMetrics m = trainer.newMetrics();
        for (int i = 0; i < 2000; i++) {
            trainer.step(m);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        // The JIT may allocate a few hundred bytes once as it recompiles; a step allocating anything at all would
        // allocate at least 16 bytes each time.
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            trainer.step(m);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10_000, allocated + " bytes allocated by 10,000 steps");
    }
}
