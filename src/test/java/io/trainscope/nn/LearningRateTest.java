package io.trainscope.nn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearningRateTest {

    @Test
    void aRateIsAFiniteNumberAboveZero() {
        assertTrue(LearningRate.valid(1e-300));
        assertTrue(LearningRate.valid(1e300));
        for (double wrong : new double[] {0, -0.0, -1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertFalse(LearningRate.valid(wrong), String.valueOf(wrong));
        }
        assertEquals(0.5, LearningRate.check(0.5));
        assertEquals("a learning rate must be a finite number > 0, got NaN",
                assertThrows(IllegalArgumentException.class, () -> LearningRate.check(Double.NaN)).getMessage());
    }
}
