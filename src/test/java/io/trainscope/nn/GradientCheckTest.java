package io.trainscope.nn;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {"3,1", "3,4,1", "3,5,4,1", "2,8,6,3,1"})
    void backpropAgreesWithFiniteDifferences(String shape) {
        int[] sizes = java.util.Arrays.stream(shape.split(",")).mapToInt(Integer::parseInt).toArray();
        Network network = Network.create(sizes, Init.HE, 7);
        SplittableRandom random = new SplittableRandom(3);
        int m = 11;
        double[] x = new double[sizes[0] * m];
        double[] y = new double[m];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        for (int j = 0; j < m; j++) {
            y[j] = random.nextBoolean() ? 1 : 0;
        }
        // Non-zero biases so that the bias gradients are exercised away from the initial point.
        for (Layer layer : network.parameters()) {
            for (int i = 0; i < layer.b.length; i++) {
                layer.b[i] = 0.1 * random.nextGaussian();
            }
        }
        double error = GradientCheck.maxRelativeError(network, new Dataset(sizes[0], m, x, y));
        assertTrue(error < 1e-7, "max relative error " + error + " for " + shape);
    }
}
