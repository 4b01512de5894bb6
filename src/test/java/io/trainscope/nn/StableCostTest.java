package io.trainscope.nn;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the seed breaks: once σ(z) rounds to exactly 1, its {@code (1 - y)·log(1 - AL)} is {@code 0·(-inf)},
 * NaN. Ours computes the cost from z and stays finite, by hand: cost = softplus(z) − y·z.
 */
class StableCostTest {

    private static double costAt(double z, double y) {
        // One input of 1 and W = z, b = 0, so the output unit's Z is z itself.
        Network network = Network.of(new int[] {1, 1}, List.of(new double[] {z}), List.of(new double[] {0}));
        Dataset one = new Dataset(1, 1, new double[] {1}, new double[] {y});
        Network.Pass pass = network.pass(1);
        double cost = network.forward(pass, one);
        network.backward(pass, one);
        assertTrue(Double.isFinite(network.parameters().get(0).dw[0]), "dW finite at z = " + z);
        return cost;
    }

    @Test
    void saturatedOutputsGiveFiniteCosts() {
        assertEquals(1.0, 1.0 / (1.0 + Math.exp(-50)), "σ(50) rounds to 1 in float64, the seed's NaN case");
        assertEquals(Math.exp(-50), costAt(50, 1), 1e-35);
        assertEquals(50, costAt(50, 0), 1e-12);
        assertEquals(50, costAt(-50, 1), 1e-12);
        assertEquals(800, costAt(800, 0), 1e-9);
        assertEquals(0, costAt(800, 1));
        assertEquals(Math.log(2), costAt(0, 1), 1e-15);
    }
}
