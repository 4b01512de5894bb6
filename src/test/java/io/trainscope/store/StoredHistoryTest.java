package io.trainscope.store;

import io.trainscope.run.RunStatus;
import io.trainscope.history.MemoryHistory;
import io.trainscope.point.Points;
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
        return Point.rows(points);
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
            for (int start = 0; start < points.size(); start += 1000) {
                Points batch = Point.batch(points.subList(start, start + 1000), 3);
                stored.append(batch);
                memory.append(batch);
            }
            assertThrows(IllegalArgumentException.class, () -> stored.append(memory.read(5, 6)));
            waitFor(stored, points.size());
            assertEquals(points.size(), stored.size());
            assertEquals(asList(memory.read(0, 30_000)), asList(stored.read(0, 30_000)));
            assertEquals(asList(memory.read(123, 4567)), asList(stored.read(123, 4567)));
            assertEquals(asList(memory.downsampled(100, 300, 400)), asList(stored.downsampled(100, 300, 400)), "small ranges are whole");
            List<Point> summary = asList(stored.downsampled(0, stored.size(), 400));
            assertEquals(asList(memory.downsampled(0, memory.size(), 400)), summary,
                    "the same run in memory and on disk is downsampled by the same rule to the same points");
            assertEquals(asList(memory.downsampled(777, 21_234, 100)), asList(stored.downsampled(777, 21_234, 100)));
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
