package io.trainscope.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientCheckTest {

    private static Dataset data(int features, int m, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[features * m];
        double[] y = new double[m];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        for (int j = 0; j < m; j++) {
            y[j] = random.nextBoolean() ? 1 : 0;
        }
        return new Dataset(features, m, x, y);
    }

    private static Network network(int[] sizes) {
        Network network = Network.create(sizes, Init.HE, 7);
        SplittableRandom random = new SplittableRandom(3);
        // Non-zero biases so that the bias gradients are exercised away from the initial point.
        for (Layer layer : network.parameters()) {
            for (int i = 0; i < layer.b.length; i++) {
                layer.b[i] = 0.1 * random.nextGaussian();
            }
        }
        return network;
    }

    @ParameterizedTest
    @ValueSource(strings = {"3,1", "3,4,1", "3,5,4,1", "2,8,6,3,1"})
    void backpropAgreesWithFiniteDifferences(String shape) {
        int[] sizes = java.util.Arrays.stream(shape.split(",")).mapToInt(Integer::parseInt).toArray();
        Network network = network(sizes);
        Dataset data = data(sizes[0], 11, 3);
        double error = GradientCheck.maxRelativeError(network, data);
        assertTrue(error < GradientCheck.THRESHOLD, "max relative error " + error + " for " + shape);

        GradientCheck.Result result = GradientCheck.check(network, data, GradientCheck.Sampling.ALL);
        assertEquals(sizes.length - 1, result.layers().size());
        assertFalse(result.sampled());
        double worst = 0;
        for (GradientCheck.LayerErrors layer : result.layers()) {
            assertTrue(layer.weights().error() < GradientCheck.THRESHOLD, layer.toString());
            assertTrue(layer.biases().error() < GradientCheck.THRESHOLD, layer.toString());
            worst = Math.max(worst, Math.max(layer.weights().error(), layer.biases().error()));
        }
        assertEquals(worst, result.maxRelativeError());
    }

    @Test
    void oneBrokenGradientShowsAsALargeErrorInItsTensorAlone() {
        int[] sizes = {2, 8, 6, 3, 1};
        Network network = network(sizes);
        Dataset data = data(2, 11, 3);
        GradientCheck.Result broken = GradientCheck.check(network, data, GradientCheck.Sampling.ALL,
                layers -> layers.get(1).dw[5] += 0.1);
        assertTrue(broken.maxRelativeError() > 1e-2, "max relative error " + broken.maxRelativeError());
        assertTrue(broken.layers().get(1).weights().error() > 1e-2, broken.layers().get(1).toString());
        for (int l = 0; l < 4; l++) {
            assertTrue(broken.layers().get(l).biases().error() < GradientCheck.THRESHOLD, "b" + (l + 1));
            if (l != 1) {
                assertTrue(broken.layers().get(l).weights().error() < GradientCheck.THRESHOLD, "W" + (l + 1));
            }
        }
    }

    @Test
    void aLargeNetworkIsCheckedOnASampleOfItsParametersAndExamples() {
        int[] sizes = {30, 200, 1};
        Network network = network(sizes);
        Dataset data = data(30, 600, 5);
        double[] w1 = network.parameters().get(0).weights().clone();
        GradientCheck.Result result = GradientCheck.check(network, data, GradientCheck.Sampling.BOUNDED);
        assertTrue(result.sampled());
        assertEquals(256, result.examples());
        assertEquals(600, result.samples());
        GradientCheck.TensorError first = result.layers().get(0).weights();
        assertEquals(64, first.checked() + first.kinks(), "drawn: compared, or left out at a kink");
        assertEquals(6000, first.size());
        assertEquals(1, result.layers().get(1).biases().checked(), "a tensor smaller than the sample is checked whole");
        assertTrue(result.maxRelativeError() < GradientCheck.THRESHOLD, "max relative error " + result.maxRelativeError() + " " + result);
        assertArrayEquals(w1, network.parameters().get(0).weights(), "the parameters are left as they were");

        GradientCheck.Result again = GradientCheck.check(network, data, GradientCheck.Sampling.BOUNDED);
        assertEquals(result, again, "the same parameters are drawn every time");
        GradientCheck.Result tight = GradientCheck.check(network, data,
                new GradientCheck.Sampling(64, 256, 2 * 6_401L * 256 * 4 * 3, 1));
        GradientCheck.TensorError few = tight.layers().get(0).weights();
        assertEquals(3, few.checked() + few.kinks(), "a work budget draws fewer parameters");
    }
}
