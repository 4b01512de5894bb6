package io.trainscope.nn;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SplitTest {

    /** Ten examples whose only feature is their index, so where each went can be read back. */
    private static final Dataset TEN = new Dataset(1, 10, new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
            new double[] {0, 1, 0, 1, 0, 1, 0, 1, 0, 1});

    @Test
    void holdsOutTheFractionAndKeepsEveryExampleOnce() {
        Split split = Split.of(TEN, 0.3, 4);
        assertEquals(7, split.train().samples());
        assertEquals(3, split.validation().samples());
        double[] all = new double[10];
        System.arraycopy(split.train().x(), 0, all, 0, 7);
        System.arraycopy(split.validation().x(), 0, all, 7, 3);
        Arrays.sort(all);
        assertArrayEquals(TEN.x(), all);
        for (Dataset part : new Dataset[] {split.train(), split.validation()}) {
            for (int j = 0; j < part.samples(); j++) {
                assertEquals(part.x()[j] % 2, part.y()[j], "labels travel with their examples");
            }
        }
    }

    @Test
    void isDeterministic() {
        assertArrayEquals(Split.of(TEN, 0.5, 4).validation().x(), Split.of(TEN, 0.5, 4).validation().x());
    }

    @Test
    void zeroHoldsNothingOut() {
        Split split = Split.of(TEN, 0, 4);
        assertSame(TEN, split.train());
        assertNull(split.validation());
    }

    @Test
    void aTinyFractionStillHoldsOneOut() {
        assertEquals(1, Split.of(TEN, 0.01, 4).validation().samples());
    }

    @Test
    void refusesToLeaveNothingToTrainOn() {
        Dataset one = new Dataset(1, 1, new double[] {0}, new double[] {1});
        assertThrows(IllegalArgumentException.class, () -> Split.of(one, 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> Split.of(TEN, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Split.of(TEN, 0.99, 1));
    }
}
