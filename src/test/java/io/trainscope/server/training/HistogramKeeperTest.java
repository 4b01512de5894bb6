package io.trainscope.server.training;

import io.trainscope.nn.Histogram;
import io.trainscope.nn.LayerHistograms;
import io.trainscope.server.bus.HistogramsSnapshot;
import io.trainscope.server.bus.KeptViews;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
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

    private static final Histogram ONE = Histogram.of(new double[] {0, 1}, 0, 2, 2);

    private static HistogramsSnapshot ofLayers(long iteration, long stride, int layers) {
        return new HistogramsSnapshot("r", iteration, Collections.nCopies(layers, new LayerHistograms(ONE, ONE, ONE)), true,
                stride);
    }

    /** Offers run a snapshot every 1000 iterations up to {@code to}, each kept when due. */
    private static void train(HistogramKeeper keeper, long to, int layers) {
        for (long i = 0; i <= to; i += 1000) {
            if (keeper.due(i)) {
                keeper.keep(ofLayers(i, keeper.stride(), layers));
            }
        }
    }

    @Test
    void allTheRunsOfAServerHoldAtMostItsBoundOfLayerHistograms() {
        HistogramKeeper.Held server = new HistogramKeeper.Held(400);
        List<HistogramKeeper> runs = new ArrayList<>();
        for (int r = 0; r < 5; r++) {
            HistogramKeeper keeper = new HistogramKeeper(256);
            keeper.chargeTo(server);
            runs.add(keeper);
            train(keeper, 5_000_000, 4);
            // Each run keeps two at least (its first and a late one): over the bound by those at most.
            assertTrue(server.count() <= 400 + 2 * 4 * (r + 1), "held " + server.count() + " after run " + r);
            long sum = runs.stream().mapToLong(k -> 4L * k.kept().snapshots().size()).sum();
            assertEquals(sum, server.count(), "the count is what the keepers hold");
        }
        // Alone, one run keeps 129 to 256 snapshots (516 to 1024 layer histograms); five share 400 here.
        HistogramKeeper last = runs.get(runs.size() - 1);
        List<HistogramsSnapshot> kept = last.kept().snapshots();
        assertTrue(kept.size() >= 2, kept.size() + " kept");
        assertEquals(0, kept.get(0).iteration(), "still spread from its start");
        assertTrue(kept.get(kept.size() - 1).iteration() > 2_500_000, "to its end");

        // A run whose views memory lets go (stored, or deleted) no longer counts; the next one has room again.
        runs.forEach(HistogramKeeper::release);
        assertEquals(0, server.count());
        HistogramKeeper fresh = new HistogramKeeper(256);
        fresh.chargeTo(server);
        train(fresh, 1_000_000, 1);
        assertTrue(fresh.kept().snapshots().size() > 128, fresh.kept().snapshots().size() + " kept with room");
        assertEquals(fresh.kept().snapshots().size(), server.count());
    }

    @Test
    void aServerBoundOfItsOwnRefusesNothingButNeedsAPositiveSize() {
        assertEquals(32L * HistogramKeeper.MAX_LAYER_SNAPSHOTS, HistogramKeeper.SERVER_MAX_LAYER_SNAPSHOTS);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new HistogramKeeper.Held(0));
    }
}
