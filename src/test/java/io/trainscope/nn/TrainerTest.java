package io.trainscope.nn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A trainer's learning rate changes between steps: the next update, and only it onward, uses the new rate. */
class TrainerTest {

    private static Trainer xor() {
        Dataset data = Datasets.generate("xor", 32, 0.1, 4, 2);
        return new Trainer(Network.create(new int[] {2, 4, 1}, Init.HE, 4), data, null, 0.5);
    }

    @Test
    void theStepAfterAChangeUpdatesWithTheNewRate() {
        Trainer trainer = xor();
        StepMetrics metrics = trainer.newMetrics();
        for (int i = 0; i < 3; i++) {
            trainer.step(metrics);
        }
        trainer.learningRate(0.05);
        assertEquals(0.05, trainer.learningRate());
        Layer first = trainer.network().parameters().get(0);
        double[] before = first.w.clone();
        trainer.step(metrics);
        for (int i = 0; i < before.length; i++) {
            // The layer keeps this step's gradient: the update was W -= 0.05·dW, the same operations exactly.
            assertEquals(before[i] - 0.05 * first.dw[i], first.w[i], "W1[" + i + "]");
        }
        assertEquals(4, trainer.iteration());
    }

    @Test
    void aRateThatIsNotFiniteAndPositiveIsRefusedAndTheOldOneKept() {
        Trainer trainer = xor();
        for (double bad : new double[] {0, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> trainer.learningRate(bad), String.valueOf(bad));
        }
        assertEquals(0.5, trainer.learningRate());
    }
}
