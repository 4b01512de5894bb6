package io.trainscope.nn;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decision boundary's grid, against a forward pass worked out here by plain loops from the parameters. */
class BoundaryTest {

    /** σ of the network's output at (x, y), layer by layer, without any of the network's code. */
    private static double forward(Network network, double x, double y) {
        double[] a = {x, y};
        List<Layer> layers = network.parameters();
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            double[] w = layer.weights();
            double[] next = new double[layer.outputs()];
            for (int i = 0; i < next.length; i++) {
                double z = layer.biases()[i];
                for (int k = 0; k < a.length; k++) {
                    z += w[i * a.length + k] * a[k];
                }
                next[i] = l < layers.size() - 1 ? Math.max(0, z) : 1 / (1 + Math.exp(-z));
            }
            a = next;
        }
        return a[0];
    }

    @Test
    void everyCellIsTheNetworksOutputAtItsCentreRowMajorFromTheLowerLeft() {
        Dataset data = Datasets.generate("spiral", 200, 0.05, 7, 2);
        Trainer trainer = new Trainer(Network.create(new int[] {2, 16, 16, 8, 1}, Init.HE, 7), data, null, 0.2);
        StepMetrics metrics = trainer.newMetrics();
        for (int i = 0; i < 50; i++) {
            trainer.step(metrics);
        }
        Plane plane = Plane.around(data);
        Boundary boundary = new Boundary(trainer.network(), plane, Boundary.SIDE);
        assertEquals(64, boundary.side());
        double[] values = boundary.evaluate();
        assertEquals(64 * 64, values.length);
        double dx = (plane.xMax() - plane.xMin()) / 64;
        double dy = (plane.yMax() - plane.yMin()) / 64;
        for (int j = 0; j < 64; j++) {
            for (int i = 0; i < 64; i++) {
                double expected = forward(trainer.network(), plane.xMin() + (i + 0.5) * dx, plane.yMin() + (j + 0.5) * dy);
                assertEquals(expected, values[j * 64 + i], 1e-12, "cell (" + i + ", " + j + ")");
            }
        }
        assertTrue(java.util.Arrays.stream(values).allMatch(v -> v >= 0 && v <= 1));
        assertEquals(values[5], boundary.evaluate()[5], "evaluating again, in the same buffers, gives the same");
    }

    @Test
    void thePlaneHoldsEveryExampleWithAMargin() {
        Dataset train = new Dataset(2, 3, new double[] {0, 1, 2, 10, 20, 30}, new double[] {0, 1, 0});
        Dataset validation = new Dataset(2, 1, new double[] {-2, 5}, new double[] {1});
        Plane plane = Plane.around(train, validation);
        assertEquals(-2 - 0.4, plane.xMin(), 1e-12);
        assertEquals(2 + 0.4, plane.xMax(), 1e-12);
        assertEquals(5 - 2.5, plane.yMin(), 1e-12);
        assertEquals(30 + 2.5, plane.yMax(), 1e-12);
        Plane line = Plane.around(new Dataset(2, 2, new double[] {3, 3, 0, 1}, new double[] {0, 1}));
        assertEquals(2, line.xMin());
        assertEquals(4, line.xMax());
        assertThrows(IllegalArgumentException.class,
                () -> Plane.around(new Dataset(3, 1, new double[3], new double[1])));
    }

    @Test
    void aLargeNetworkGetsASmallerGridInBlocks() {
        Network wide = Network.create(new int[] {2, 4096, 1024, 1}, Init.HE, 1);
        Boundary boundary = new Boundary(wide, new Plane(-1, 1, -1, 1), Boundary.SIDE);
        assertEquals(Boundary.MIN_SIDE, boundary.side(), "4.2 M multiply-adds a point: the smallest grid");
        double[] values = boundary.evaluate();
        assertEquals(64, values.length);
        assertEquals(forward(wide, -1 + 0.125, -1 + 0.125), values[0], 1e-9);
        assertEquals(forward(wide, 1 - 0.125, 1 - 0.125), values[63], 1e-9);
        assertThrows(IllegalArgumentException.class,
                () -> new Boundary(Network.create(new int[] {3, 1}, Init.HE, 1), new Plane(0, 1, 0, 1), 64));
    }
}
