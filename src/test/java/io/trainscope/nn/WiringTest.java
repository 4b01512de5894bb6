package io.trainscope.nn;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the network view is sent: a small network whole, a large one as its strongest units and the weights between. */
class WiringTest {

    @Test
    void aSmallNetworkIsShownWholeAsACopy() {
        Network network = Network.create(new int[] {2, 16, 16, 8, 1}, Init.HE, 7);
        Wiring wiring = Wiring.of(network);
        assertFalse(wiring.reduced());
        for (int l = 0; l < 4; l++) {
            Layer layer = network.parameters().get(l);
            assertArrayEquals(layer.weights(), wiring.weights().get(l), "W" + (l + 1));
            assertArrayEquals(layer.biases(), wiring.biases().get(l), "b" + (l + 1));
        }
        double first = network.parameters().get(0).weights()[0];
        network.parameters().get(0).weights()[0] = first + 1;
        assertEquals(first, wiring.weights().get(0)[0], "a copy, not the live array");
    }

    @Test
    void aWideLayerShowsItsStrongestUnitsAndEveryWeightBetweenShownUnits() {
        Network network = Network.create(new int[] {3, 100, 1}, Init.HE, 1);
        Layer first = network.parameters().get(0);
        Layer second = network.parameters().get(1);
        // Unit 99 of the hidden layer gets the largest weights in, unit 50 the largest out.
        for (int c = 0; c < 3; c++) {
            first.weights()[99 * 3 + c] = 10;
        }
        second.weights()[50] = 100;
        Wiring wiring = Wiring.of(network);
        assertTrue(wiring.reduced());
        int[] hidden = wiring.units()[1];
        assertEquals(Wiring.MAX_UNITS, hidden.length);
        assertEquals(99, hidden[hidden.length - 1]);
        assertTrue(java.util.Arrays.binarySearch(hidden, 50) >= 0);
        for (int i = 1; i < hidden.length; i++) {
            assertTrue(hidden[i - 1] < hidden[i], "in index order");
        }
        // The strongest 64 by Σ|w| in and out, counted here.
        double[] strength = new double[100];
        for (int u = 0; u < 100; u++) {
            for (int c = 0; c < 3; c++) {
                strength[u] += Math.abs(first.weights()[u * 3 + c]);
            }
            strength[u] += Math.abs(second.weights()[u]);
        }
        double weakestShown = java.util.Arrays.stream(hidden).mapToDouble(u -> strength[u]).min().orElseThrow();
        for (int u = 0; u < 100; u++) {
            if (java.util.Arrays.binarySearch(hidden, u) < 0) {
                assertTrue(strength[u] <= weakestShown, "unit " + u + " is no stronger than every shown one");
            }
        }
        assertArrayEquals(new int[] {0, 1, 2}, wiring.units()[0]);
        double[] w1 = wiring.weights().get(0);
        double[] w2 = wiring.weights().get(1);
        assertEquals(64 * 3, w1.length);
        assertEquals(64, w2.length);
        for (int r = 0; r < 64; r++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(first.weights()[hidden[r] * 3 + c], w1[r * 3 + c]);
            }
            assertEquals(first.biases()[hidden[r]], wiring.biases().get(0)[r]);
            assertEquals(second.weights()[hidden[r]], w2[r]);
        }
    }

    @Test
    void aDeepNetworkShowsFewerUnitsALayerSoThatTheWholeStaysBounded() {
        assertEquals(64, Wiring.unitsShown(16));
        assertEquals(32, Wiring.unitsShown(64));
        int[] sizes = new int[65];
        java.util.Arrays.fill(sizes, 100);
        sizes[64] = 1;
        Wiring wiring = Wiring.of(Network.create(sizes, Init.HE, 1));
        long weights = wiring.weights().stream().mapToLong(w -> w.length).sum();
        assertTrue(weights <= Wiring.MAX_WEIGHTS, weights + " weights");
        assertEquals(List.of(32, 32), List.of(wiring.units()[0].length, wiring.units()[63].length));
    }
}
