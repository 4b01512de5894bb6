package io.trainscope.wire;

import io.trainscope.point.Layout;
import io.trainscope.point.Points;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Points as binary columns and back: iterations exact, every value the nearest float32, small payloads plain. */
class MetricsBinaryTest {

    /** {@code n} points of {@code depth} layers from {@code from}, iterations with gaps, values over many scales. */
    private static Points points(int depth, int n, long from, long seed) {
        Layout layout = Layout.of(depth);
        Points points = new Points(layout, n);
        SplittableRandom random = new SplittableRandom(seed);
        double[] lanes = new double[layout.width()];
        long iteration = from;
        for (int p = 0; p < n; p++) {
            for (int lane = 0; lane < lanes.length; lane++) {
                lanes[lane] = Math.exp(random.nextDouble(-20, 5)) * (1 + Math.sin(p * 0.01 + lane));
            }
            points.add(iteration, lanes);
            iteration += 1 + random.nextInt(40);
        }
        return points;
    }

    private static void assertNearestFloats(Points expected, Points actual) {
        assertEquals(expected.size(), actual.size());
        for (int p = 0; p < expected.size(); p++) {
            assertEquals(expected.iteration(p), actual.iteration(p));
            for (int lane = 0; lane < expected.layout().width(); lane++) {
                double value = expected.value(lane, p);
                float nearest = Double.isFinite(value) ? (float) value : Float.NaN;
                assertEquals(nearest, actual.value(lane, p), 0.0, "point " + p + " lane " + lane);
            }
        }
    }

    @Test
    void aLiveUpdateIsSentAsItIsAndReadsBackAsTheNearestFloats() {
        Points live = points(3, 4, 1_000_000_000L, 1);
        MetricsBinary.Encoded encoded = MetricsBinary.encode(live, 1_000_000_000L);
        assertFalse(encoded.compressed());
        assertEquals(4 * 4 * (1 + live.layout().width()), encoded.bytes().length, "a u32 and a float32 a value");
        assertNearestFloats(live, MetricsBinary.decode(encoded.bytes(), false, 4, live.layout(), 1_000_000_000L));
    }

    @Test
    void aLongHistoryIsCompressedAndReadsBackTheSame() {
        Points history = points(8, 4000, 0, 2);
        MetricsBinary.Encoded encoded = MetricsBinary.encode(history, 0);
        assertTrue(encoded.compressed());
        assertTrue(encoded.bytes().length < 4 * 4000 * (1 + history.layout().width()));
        assertNearestFloats(history, MetricsBinary.decode(encoded.bytes(), true, 4000, history.layout(), 0));
    }

    @Test
    void missingAndNonFiniteValuesAreNaNAndHugeOnesInfinite() {
        Layout layout = Layout.of(1);
        Points points = new Points(layout, 1);
        double[] lanes = new double[layout.width()];
        lanes[0] = Double.NaN;
        lanes[1] = Double.POSITIVE_INFINITY;
        lanes[2] = 1e300;
        lanes[3] = -1e-300;
        points.add(7, lanes);
        Points back = MetricsBinary.decode(MetricsBinary.encode(points, 7).bytes(), false, 1, layout, 7);
        assertEquals(Double.NaN, back.value(0, 0));
        assertEquals(Double.NaN, back.value(1, 0), "not finite: absent, as JSON's null");
        assertEquals(Double.POSITIVE_INFINITY, back.value(2, 0), "past float32's range");
        assertEquals(-0.0, back.value(3, 0));
    }

    @Test
    void bytePlanesAreUndone() {
        byte[] words = new byte[64];
        new SplittableRandom(3).nextBytes(words);
        byte[] planes = MetricsBinary.planes(words);
        assertEquals(words[0], planes[0]);
        assertEquals(words[1], planes[16]);
        assertArrayEquals(words, MetricsBinary.unplanes(planes));
    }

    @Test
    void anIterationTooFarFromTheMessagesStartIsRefused() {
        Points far = points(1, 1, 5L << 32, 4);
        assertThrows(IllegalArgumentException.class, () -> MetricsBinary.encode(far, 0));
    }
}
