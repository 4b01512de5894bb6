package io.trainscope.server.training;

import io.trainscope.server.bus.HistogramsSnapshot;
import io.trainscope.server.bus.KeptViews;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run keeps a bounded number of histogram snapshots spread over its whole length, however long it runs. */
class HistogramKeeperTest {

    private static HistogramsSnapshot at(long iteration, long stride) {
        return new HistogramsSnapshot("r", iteration, List.of(), true, stride);
    }

    @Test
    void aTenMillionIterationRunKeepsAFewHundredSpreadOverItsLength() {
        HistogramKeeper keeper = new HistogramKeeper(256);
        int thinned = 0;
        // A snapshot offered every 1000 iterations (a fast run at 4 a second), kept when its bucket has none.
        for (long i = 0; i <= 10_000_000; i += 1000) {
            if (keeper.due(i)) {
                thinned += keeper.keep(at(i, keeper.stride())) == HistogramKeeper.Outcome.THINNED ? 1 : 0;
            }
        }
        assertEquals(HistogramKeeper.Outcome.ADDED, keeper.keepLast(at(10_000_001, keeper.stride())));
        KeptViews.Histograms kept = keeper.kept();
        List<HistogramsSnapshot> snapshots = kept.snapshots();
        assertTrue(snapshots.size() > 128 && snapshots.size() <= 256, snapshots.size() + " kept");
        assertTrue(thinned >= 3 && thinned <= 12, "thinned " + thinned + " times: rarely, not once per snapshot");
        assertEquals(0, snapshots.get(0).iteration(), "the initial weights stay");
        assertEquals(10_000_001, snapshots.get(snapshots.size() - 1).iteration(), "and the last iteration");
        long stride = kept.stride();
        assertEquals(Long.bitCount(stride), 1, "the stride is a power of two: " + stride);
        for (int k = 1; k < snapshots.size() - 1; k++) {
            long gap = snapshots.get(k).iteration() - snapshots.get(k - 1).iteration();
            assertTrue(gap >= stride - 1000 && gap <= 2 * stride, "evenly spread: a gap of " + gap + " at stride " + stride);
        }
        assertEquals(HistogramKeeper.Outcome.NOT_KEPT, keeper.keepLast(at(10_000_001, stride)), "once");
    }

    @Test
    void deepNetworksKeepFewerSnapshotsOfMoreLayers() {
        assertEquals(256, HistogramKeeper.maxFor(4));
        assertEquals(128, HistogramKeeper.maxFor(5));
        assertEquals(16, HistogramKeeper.maxFor(100));
    }
}
