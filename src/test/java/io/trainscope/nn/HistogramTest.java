package io.trainscope.nn;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Histograms count every value once, in equal-width bins whose edges cover the values' range. */
class HistogramTest {

    /** The bin of {@code x} worked out by a linear search of the edges. */
    private static int bin(double[] edges, double x) {
        for (int k = 0; k < edges.length - 2; k++) {
            if (x < edges[k + 1]) {
                return k;
            }
        }
        return edges.length - 2;
    }

    private static void assertCovers(Histogram h, double min, double max, int bins) {
        double[] edges = h.edges();
        assertEquals(bins + 1, edges.length);
        assertEquals(bins, h.counts().length);
        assertTrue(edges[0] <= min && edges[bins] >= max, "edges cover [" + min + ", " + max + "]");
        double width = (edges[bins] - edges[0]) / bins;
        for (int k = 0; k < bins; k++) {
            assertEquals(width, edges[k + 1] - edges[k], 1e-9 * width, "bin " + k + " has the common width");
        }
    }

    @Test
    void everyValueIsCountedOnceInTheBinItFallsIn() {
        SplittableRandom random = new SplittableRandom(1);
        double[] v = new double[10_001];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextGaussian() * 3 + 1;
        }
        Histogram h = Histogram.of(v, 1, v.length, Histogram.BINS);
        assertEquals(v.length - 1, h.total());
        assertEquals(0, h.nonFinite());
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int[] expected = new int[Histogram.BINS];
        for (int i = 1; i < v.length; i++) {
            min = Math.min(min, v[i]);
            max = Math.max(max, v[i]);
        }
        assertEquals(min, h.edges()[0], "the first edge is the minimum");
        assertEquals(max, h.edges()[Histogram.BINS], "the last edge is the maximum");
        assertCovers(h, min, max, Histogram.BINS);
        for (int i = 1; i < v.length; i++) {
            expected[bin(h.edges(), v[i])]++;
        }
        int[] counts = h.counts();
        int differing = 0;
        for (int k = 0; k < counts.length; k++) {
            differing += Math.abs(counts[k] - expected[k]);
        }
        // A value within rounding of an edge may go either way; with 10 000 Gaussian values, hardly ever.
        assertTrue(differing <= 2, "counts " + java.util.Arrays.toString(counts) + " against "
                + java.util.Arrays.toString(expected));
        assertTrue(counts[0] >= 1 && counts[Histogram.BINS - 1] >= 1, "the extremes are in the end bins");
    }

    @Test
    void valuesThatAreNotFiniteAreCountedApart() {
        double[] v = {1, Double.NaN, 2, Double.POSITIVE_INFINITY, 3, Double.NEGATIVE_INFINITY};
        Histogram h = Histogram.of(v, 0, v.length, 4);
        assertEquals(3, h.nonFinite());
        assertEquals(6, h.total());
        assertArrayEquals(new double[] {1, 1.5, 2, 2.5, 3}, h.edges());
        assertArrayEquals(new int[] {1, 0, 1, 1}, h.counts(), "the maximum goes in the last bin");
    }

    @Test
    void equalValuesFillTheMiddleBinOfARangeAroundThem() {
        Histogram zeros = Histogram.of(new double[100], 0, 100, Histogram.BINS);
        assertEquals(-0.5, zeros.edges()[0]);
        assertEquals(0.5, zeros.edges()[Histogram.BINS]);
        assertEquals(100, zeros.counts()[Histogram.BINS / 2]);
        assertEquals(100, zeros.total());

        double[] fours = {4, 4, 4};
        Histogram h = Histogram.of(fours, 0, 3, 4);
        assertArrayEquals(new double[] {2, 3, 4, 5, 6}, h.edges(), "h = |4|/2 = 2 on each side");
        assertArrayEquals(new int[] {0, 0, 3, 0}, h.counts());

        Histogram none = Histogram.of(new double[] {Double.NaN}, 0, 1, 4);
        assertArrayEquals(new double[] {-0.5, -0.25, 0, 0.25, 0.5}, none.edges());
        assertArrayEquals(new int[4], none.counts());
        assertEquals(1, none.nonFinite());
        assertEquals(0, Histogram.of(new double[0], 0, 0, 4).total());
    }

    @Test
    void hugeValuesDoNotOverflowTheBinWidth() {
        double[] v = {-Double.MAX_VALUE, 0, Double.MAX_VALUE};
        Histogram h = Histogram.of(v, 0, 3, 2);
        assertEquals(3, h.total());
        assertArrayEquals(new int[] {1, 2}, h.counts());
    }

    @Test
    void sigmoidHistogramsBinTheOutputsOfZ() {
        double[] z = {-3, -1, 0, 0.5, 2, 7};
        Histogram h = Histogram.ofSigmoid(z, 0, z.length, 8);
        double[] sigma = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            sigma[i] = 1 / (1 + Math.exp(-z[i]));
        }
        Histogram direct = Histogram.of(sigma, 0, sigma.length, 8);
        assertArrayEquals(direct.edges(), h.edges(), 1e-15);
        assertArrayEquals(direct.counts(), h.counts());
        assertTrue(h.edges()[0] > 0 && h.edges()[8] < 1);
    }

    @Test
    void aTrainersHistogramsCoverEachLayerWeightsGradientsAndActivationsOverEveryExample() {
        Dataset data = Datasets.generate("circle", 50, 0.1, 2, 2);
        Trainer trainer = new Trainer(Network.create(new int[] {2, 5, 3, 1}, Init.HE, 2), data, null, 0.1);
        List<LayerHistograms> before = trainer.histograms(Histogram.BINS);
        assertEquals(3, before.size());
        assertNull(before.get(0).gradients(), "no gradient before the first iteration");
        assertNull(before.get(0).activations());
        trainer.step(trainer.newMetrics());
        List<LayerHistograms> after = trainer.histograms(Histogram.BINS);
        int[] sizes = {2, 5, 3, 1};
        for (int l = 0; l < 3; l++) {
            LayerHistograms layer = after.get(l);
            long weights = (long) sizes[l] * sizes[l + 1];
            assertEquals(weights, layer.weights().total(), "W" + (l + 1));
            assertEquals(weights, layer.gradients().total(), "dW" + (l + 1));
            assertEquals((long) sizes[l + 1] * 50, layer.activations().total(), "activations of layer " + (l + 1));
        }
        assertTrue(after.get(0).activations().edges()[0] >= 0, "ReLU outputs are never negative");
        Histogram output = after.get(2).activations();
        assertTrue(output.edges()[0] > 0 && output.edges()[Histogram.BINS] < 1, "σ(Z) lies in (0, 1)");
    }
}
