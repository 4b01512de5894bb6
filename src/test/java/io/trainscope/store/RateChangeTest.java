package io.trainscope.store;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The record of a run's learning-rate changes lists only rates that some update used, in order. */
class RateChangeTest {

    private static final double SPEC_RATE = 0.1;

    @Test
    void changesAreAppendedReplacedAtTheSameIterationAndDroppedWhenNothingChanges() {
        List<RateChange> one = RateChange.record(List.of(), 5, 0.05, SPEC_RATE);
        assertEquals(List.of(new RateChange(5, 0.05)), one);
        assertEquals(0.05, RateChange.current(one, SPEC_RATE));
        assertEquals(SPEC_RATE, RateChange.current(List.of(), SPEC_RATE));

        assertEquals(List.of(new RateChange(5, 0.07)), RateChange.record(one, 5, 0.07, SPEC_RATE),
                "the rate set first at iteration 5 was never used");
        assertEquals(List.of(), RateChange.record(one, 5, SPEC_RATE, SPEC_RATE), "back to the rate in force: no change");
        assertEquals(one, RateChange.record(one, 8, 0.05, SPEC_RATE), "the rate already in force");
        assertEquals(List.of(new RateChange(5, 0.05), new RateChange(8, SPEC_RATE)),
                RateChange.record(one, 8, SPEC_RATE, SPEC_RATE));
    }

    @Test
    void aChangeBeforeTheLastOrOfABadRateIsRefused() {
        List<RateChange> one = List.of(new RateChange(5, 0.05));
        assertThrows(IllegalArgumentException.class, () -> RateChange.record(one, 4, 0.2, SPEC_RATE));
        for (double bad : new double[] {0, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> new RateChange(1, bad), String.valueOf(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> new RateChange(-1, 0.1));
    }
}
