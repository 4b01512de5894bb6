package io.trainscope.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Exact millisecond counts: nearest-rank percentiles, merging across processes, the clamp. */
class HistogramTest {

    @Test
    void nearestRankPercentilesOfOneToAHundred() {
        Histogram h = new Histogram();
        for (int v = 100; v >= 1; v--) {
            h.record(v);
        }
        assertEquals(100, h.count());
        assertEquals(50, h.percentile(0.5));
        assertEquals(90, h.percentile(0.9));
        assertEquals(99, h.percentile(0.99));
        assertEquals(100, h.percentile(1.0));
        assertEquals(100, h.max());
    }

    @Test
    void aFewValuesRoundTheRankUp() {
        Histogram h = new Histogram();
        h.record(3);
        h.record(7);
        h.record(7);
        assertEquals(7, h.percentile(0.5), "rank ceil(1.5) = 2");
        assertEquals(3, h.percentile(0.33), "rank ceil(0.99) = 1");
        assertEquals(7, h.percentile(0.99));
    }

    @Test
    void processesMergeThroughTheirCounts() {
        Histogram a = new Histogram();
        Histogram b = new Histogram();
        for (int i = 0; i < 10; i++) {
            a.record(1);
            b.record(20);
        }
        b.record(30);
        Histogram all = new Histogram();
        all.add(a.counts());
        all.add(b.counts());
        all.add(Histogram.Counts.EMPTY);
        assertEquals(21, all.count());
        assertEquals(20, all.percentile(0.5));
        assertEquals(30, all.max());
        assertEquals(2, b.counts().values().length, "only the buckets that hold something travel");
    }

    @Test
    void emptyNegativeAndHugeValues() {
        Histogram h = new Histogram();
        assertEquals(-1, h.percentile(0.5));
        assertEquals(-1, h.max());
        h.record(-4);
        assertEquals(0, h.percentile(1.0), "a clock step back reads as 0");
        h.record(10L * Histogram.MAX_MS);
        assertEquals(Histogram.MAX_MS, h.percentile(1.0), "counted at the last bucket");
        assertEquals(10L * Histogram.MAX_MS, h.max(), "the maximum stays exact");
    }
}
