package io.trainscope.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetsTest {

    @ParameterizedTest
    @ValueSource(strings = {"xor", "circle", "spiral", "gaussian"})
    void sameSeedSameData(String name) {
        Dataset a = Datasets.generate(name, 101, 0.1, 42, 2);
        Dataset b = Datasets.generate(name, 101, 0.1, 42, 2);
        assertArrayEquals(a.x(), b.x());
        assertArrayEquals(a.y(), b.y());
        Dataset other = Datasets.generate(name, 101, 0.1, 43, 2);
        assertFalse(java.util.Arrays.equals(a.x(), other.x()), "another seed gives other points");
    }

    @ParameterizedTest
    @ValueSource(strings = {"xor", "circle", "spiral", "gaussian"})
    void shapeAndBalance(String name) {
        Dataset d = Datasets.generate(name, 201, 0.2, 1, 2);
        assertEquals(2, d.features());
        assertEquals(201, d.samples());
        long ones = java.util.Arrays.stream(d.y()).filter(v -> v == 1).count();
        long zeros = java.util.Arrays.stream(d.y()).filter(v -> v == 0).count();
        assertEquals(100, ones);
        assertEquals(101, zeros);
        for (double v : d.x()) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void withoutNoiseTheLabelsFollowTheShapes() {
        Dataset xor = Datasets.generate("xor", 400, 0, 5, 2);
        Dataset circle = Datasets.generate("circle", 400, 0, 5, 2);
        for (int j = 0; j < 400; j++) {
            double x = xor.x()[j];
            double y = xor.x()[400 + j];
            assertEquals(x * y > 0 ? 1.0 : 0.0, xor.y()[j], "xor label at " + j);
            assertTrue(Math.abs(x) >= 0.05 && Math.abs(x) <= 1 && Math.abs(y) >= 0.05 && Math.abs(y) <= 1);
            double r = Math.hypot(circle.x()[j], circle.x()[400 + j]);
            assertTrue(circle.y()[j] == 1 ? r <= 0.5 : r >= 0.7 && r <= 1.0, "circle radius " + r);
        }
    }

    @Test
    void noiseIsInputJitterOfThatSize() {
        // Spiral points without noise are fixed, so the difference is the jitter alone.
        Dataset clean = Datasets.generate("spiral", 2000, 0, 9, 2);
        Dataset noisy = Datasets.generate("spiral", 2000, 0.3, 9, 2);
        double sum = 0;
        for (int i = 0; i < clean.x().length; i++) {
            double d = noisy.x()[i] - clean.x()[i];
            sum += d * d;
        }
        double std = Math.sqrt(sum / clean.x().length);
        assertEquals(0.3, std, 0.02);
        assertArrayEquals(clean.y(), noisy.y(), "labels stay clean");
    }

    @Test
    void gaussianTakesAnyNumberOfFeaturesAndItsClassesAreSeparable() {
        Dataset d = Datasets.generate("gaussian", 1000, 0, 3, 30);
        assertEquals(30, d.features());
        // The classes' centres are ±(1,…,1)/√30: the projection on (1,…,1) separates them.
        int right = 0;
        for (int j = 0; j < d.samples(); j++) {
            double projection = 0;
            for (int f = 0; f < 30; f++) {
                projection += d.x()[f * d.samples() + j];
            }
            if ((projection > 0) == (d.y()[j] == 1)) {
                right++;
            }
        }
        assertTrue(right > 950, right + " of 1000 on the right side");
    }

    @Test
    void refusesWhatItCannotMake() {
        assertThrows(IllegalArgumentException.class, () -> Datasets.generate("moons", 10, 0, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> Datasets.generate("xor", 10, 0, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> Datasets.generate("xor", 0, 0, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> Datasets.generate("xor", 10, Double.NaN, 1, 2));
    }
}
