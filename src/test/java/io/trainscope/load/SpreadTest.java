package io.trainscope.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-viewer figures: median, extremes, and each viewer against the best-served one. */
class SpreadTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(5, Spread.of(new long[] {9, 1, 5}, 0.9).median());
        assertEquals(4, Spread.of(new long[] {6, 1, 2, 9}, 0.9).median());
    }

    @Test
    void theWorstAgainstTheBest() {
        Spread s = Spread.of(new long[] {200, 198, 180, 179, 100}, 0.9);
        assertEquals(100, s.min());
        assertEquals(200, s.max());
        assertEquals(0.5, s.worstFraction());
        assertEquals(2, s.below(), "179 and 100 are under 90% of 200; 180 is not");
        assertEquals(5, s.viewers());
    }

    @Test
    void perSecondKeepsTheFractions() {
        Spread s = Spread.of(new long[] {30, 20}, 0.9).perSecond(10);
        assertEquals(2.5, s.median());
        assertEquals(2.0, s.min());
        assertEquals(3.0, s.max());
        assertEquals(2.0 / 3, s.worstFraction(), 1e-12);
        assertEquals(1, s.below());
    }

    @Test
    void noViewersOrNothingReceived() {
        Spread none = Spread.of(new long[0], 0.9);
        assertEquals(0, none.viewers());
        assertTrue(Double.isNaN(none.median()));
        Spread zero = Spread.of(new long[] {0, 0}, 0.9);
        assertTrue(Double.isNaN(zero.worstFraction()));
        assertEquals(0, zero.below());
    }
}
