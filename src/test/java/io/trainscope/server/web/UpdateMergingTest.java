package io.trainscope.server.web;

import io.trainscope.point.Points;
import io.trainscope.server.bus.MetricsUpdate;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpdateMergingTest {

    static final long MS = 1_000_000;

    private static MetricsUpdate update(long from) {
        Points points = new Points(2, 2);
        for (long iteration : new long[] {from, from + 9}) {
            double[] lanes = new double[points.layout().width()];
            lanes[0] = iteration;
            points.add(iteration, lanes);
        }
        return new MetricsUpdate("r", from, from + 10, points, true, 200.0 + from, from);
    }

    @Test
    void upToWhatTheEventLoopCanWriteEveryUpdateGoesAtOnce() {
        UpdateMerging merging = new UpdateMerging(20);
        for (int u = 0; u < 10; u++) {
            List<MetricsUpdate> due = merging.offer(update(u * 10L), u * 50 * MS, 2_000);
            assertEquals(1, due.size());
            assertEquals(u * 10L, due.get(0).from());
        }
    }

    @Test
    void pastItUpdatesAreMergedWithNoPointLostAndTheBudgetKept() {
        UpdateMerging merging = new UpdateMerging(20);
        int viewers = 10_000;
        assertEquals(225 * MS, merging.waitNanos(viewers), "a quarter of a second between sends, less half a push");
        int sends = 0;
        long next = 0;
        int points = 0;
        for (int u = 0; u < 200; u++) {
            for (MetricsUpdate due : merging.offer(update(u * 10L), u * 50 * MS, viewers)) {
                assertEquals(next, due.from(), "contiguous");
                for (int p = 0; p < due.points().size(); p++) {
                    assertEquals(due.points().iteration(p), due.points().value(0, p), "every point as it came");
                }
                next = due.to();
                points += due.points().size();
                sends++;
            }
        }
        MetricsUpdate last = merging.flush("r", 200 * 50 * MS);
        if (last != null) {
            assertEquals(next, last.from());
            points += last.points().size();
            next = last.to();
        }
        assertEquals(2000, next, "every update's range sent");
        assertEquals(400, points, "and every point");
        // 10 s of updates: 20 a second at most allowed 40,000 writes a second at 10,000 viewers, 4 a second.
        assertTrue(sends <= 41 && sends >= 39, sends + " sends in 10 s");
    }

    @Test
    void whatWaitsIsDueWithinTheWaitAndFlushedBeforeAState() {
        UpdateMerging merging = new UpdateMerging(20);
        int viewers = 10_000;
        assertEquals(1, merging.offer(update(0), 0, viewers).size(), "the first goes at once");
        assertTrue(merging.offer(update(10), 50 * MS, viewers).isEmpty());
        assertTrue(merging.holds("r"));
        assertEquals(175 * MS, merging.dueIn("r", 50 * MS, viewers));
        MetricsUpdate held = merging.flush("r", 60 * MS);
        assertEquals(10, held.from());
        assertEquals(20, held.to());
        assertNull(merging.flush("r", 70 * MS), "nothing waits after a flush");
        merging.forget("r");
        assertEquals(1, merging.offer(update(20), 80 * MS, viewers).size(), "forgotten: goes at once");
    }
}
