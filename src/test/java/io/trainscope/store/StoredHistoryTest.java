package io.trainscope.store;

import io.trainscope.history.MemoryHistory;
import io.trainscope.history.Points;
import io.trainscope.nn.StepMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stored history behaves as the server's in-memory one, except that it survives a restart. */
class StoredHistoryTest {

    @TempDir
    Path data;

    private static List<Point> asList(Points points) {
        List<Point> out = new ArrayList<>();
        StepMetrics m = new StepMetrics(points.depth());
        for (int p = 0; p < points.size(); p++) {
            m.iteration = points.iteration(p);
            m.cost = points.cost(p);
            m.accuracy = points.accuracy(p);
            points.norms(p, m.weightNorms, m.gradientNorms);
            m.validationCost = points.validationCost(p);
            m.validationAccuracy = points.validationAccuracy(p);
            out.add(Point.of(m));
        }
        return out;
    }

    private static void waitFor(StoredHistory history, long size) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (history.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    @Test
    void readsAndSummariesMatchTheMemoryHistoryAndSurviveAReopen() throws Exception {
        List<Point> points = TestPoints.random(12, 30_000, 3, 0, 1);
        MemoryHistory memory = new MemoryHistory(3);
        try (RunStore store = RunStore.open(data)) {
            StoredHistory stored = new StoredHistory(store.create("h", null, "{}", 3));
            StepMetrics m = new StepMetrics(3);
            for (int start = 0; start < points.size(); start += 1000) {
                Points batch = new Points(3, 1000);
                for (Point p : points.subList(start, start + 1000)) {
                    p.copyTo(m);
                    batch.add(m);
                }
                stored.append(batch);
                memory.append(batch);
            }
            assertThrows(IllegalArgumentException.class, () -> stored.append(memory.read(5, 6)));
            waitFor(stored, points.size());
            assertEquals(points.size(), stored.size());
            assertEquals(asList(memory.read(0, 30_000)), asList(stored.read(0, 30_000)));
            assertEquals(asList(memory.read(123, 4567)), asList(stored.read(123, 4567)));
            assertEquals(asList(memory.summary(100, 300, 400)), asList(stored.summary(100, 300, 400)), "small ranges are whole");
            List<Point> summary = asList(stored.summary(0, stored.size(), 400));
            assertTrue(summary.size() <= 400, "size " + summary.size());
            assertEquals(points.get(0), summary.get(0));
            assertEquals(points.get(points.size() - 1), summary.get(summary.size() - 1));
            store.setStatus("h", RunStatus.FINISHED, null);
        }
        try (RunStore store = RunStore.open(data)) {
            StoredHistory reopened = new StoredHistory(store.log("h"));
            assertEquals(points.size(), reopened.size());
            assertEquals(points, asList(reopened.read(0, Long.MAX_VALUE)));
        }
    }
}
