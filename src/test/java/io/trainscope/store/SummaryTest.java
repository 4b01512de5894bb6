package io.trainscope.store;

import io.trainscope.point.Downsampled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The summary against a brute-force one computed from every point, over random data, ranges and sizes. */
class SummaryTest {

    @TempDir
    Path dir;

    @Test
    void matchesBruteForceOnRandomRangesAndKeepsTheEnds() throws Exception {
        // Few in-memory buckets, so that coarsening, memory, file and straddling paths are all exercised.
        StoreOptions options = new StoreOptions(Duration.ofMillis(20), false, 16, StoreOptions.DEFAULT_MAX_PENDING_POINTS);
        List<Point> points = TestPoints.random(6, 40_000, 2, 7, 20);
        SplittableRandom r = new SplittableRandom(7);
        long last = points.get(points.size() - 1).iteration();
        try (RunLog log = RunLog.open("r", dir, 2, options)) {
            for (int written = 0; written < points.size(); ) {
                int next = Math.min(points.size(), written + 1 + r.nextInt(15_000));
                TestPoints.append(log, points.subList(written, next));
                log.flush();
                written = next;
                long durable = points.get(written - 1).iteration();
                for (int q = 0; q < 40; q++) {
                    long from = q == 0 ? 0 : r.nextLong(-10, durable + 10);
                    long to = q == 0 ? Long.MAX_VALUE : from + r.nextLong(0, durable + 100);
                    int maxBuckets = 1 + r.nextInt(q % 2 == 0 ? 8 : 300);
                    check(points.subList(0, written), log.downsampled(from, to, maxBuckets), from, to, maxBuckets);
                }
            }
        }
        try (RunLog reopened = RunLog.open("r", dir, 2, options)) {
            for (int maxBuckets : new int[] {1, 2, 5, 64, 256, 100_000}) {
                check(points, reopened.downsampled(0, Long.MAX_VALUE, maxBuckets), 0, Long.MAX_VALUE, maxBuckets);
                check(points, reopened.downsampled(last / 3, 2 * last / 3, maxBuckets), last / 3, 2 * last / 3, maxBuckets);
            }
        }
    }

    @Test
    void aLongRunSummarisedFromMemoryStaysWithinTheBound() throws Exception {
        try (RunLog log = RunLog.open("r", dir, 3, StoreOptions.defaults())) {
            List<Point> points = TestPoints.random(8, 200_000, 3, 0, 1);
            TestPoints.append(log, points);
            log.flush();
            Downsampled s = log.downsampled(0, Long.MAX_VALUE, 256);
            List<Point> kept = Point.rows(s.points());
            assertTrue(kept.size() <= 4 * 256, "size " + kept.size());
            assertEquals(points.get(0), kept.get(0));
            assertEquals(points.get(points.size() - 1), kept.get(kept.size() - 1));
            check(points, s, 0, Long.MAX_VALUE, 256);
        }
    }

    @Test
    void aSavedSummaryIsUsedOnlyWhileItMatchesTheFile() throws Exception {
        List<Point> points = TestPoints.random(13, 50_000, 2, 0, 3);
        try (RunLog log = RunLog.open("r", dir, 2, StoreOptions.defaults())) {
            TestPoints.append(log, points.subList(0, 20_000));
        }
        Path saved = dir.resolve(PyramidSnapshot.NAME);
        assertTrue(Files.exists(saved), "closing saves the summary");
        byte[] stale = Files.readAllBytes(saved);
        try (RunLog log = RunLog.open("r", dir, 2, StoreOptions.defaults())) {
            check(points.subList(0, 20_000), log.downsampled(0, Long.MAX_VALUE, 64), 0, Long.MAX_VALUE, 64);
            TestPoints.append(log, points.subList(20_000, 50_000));
        }
        Files.write(saved, stale);
        try (RunLog log = RunLog.open("r", dir, 2, StoreOptions.defaults())) {
            assertEquals(50_000, log.points());
            check(points, log.downsampled(0, Long.MAX_VALUE, 64), 0, Long.MAX_VALUE, 64);
        }
        Files.write(saved, new byte[] {1, 2, 3, 4, 5});
        try (RunLog log = RunLog.open("r", dir, 2, StoreOptions.defaults())) {
            check(points, log.downsampled(0, Long.MAX_VALUE, 300), 0, Long.MAX_VALUE, 300);
        }
    }

    private static void check(List<Point> all, Downsampled s, long from, long to, int maxBuckets) {
        String what = "downsampled(" + from + ", " + to + ", " + maxBuckets + ")";
        List<Point> in = all.stream().filter(p -> p.iteration() >= from && p.iteration() <= to).toList();
        List<Point> kept = Point.rows(s.points());
        if (in.isEmpty()) {
            assertTrue(kept.isEmpty(), what);
            return;
        }
        long first = Math.max(0, from);
        long end = Math.min(to, all.get(all.size() - 1).iteration());
        int shift = 0;
        while ((end >> shift) - (first >> shift) + 1 > maxBuckets) {
            shift++;
        }
        assertEquals(1L << shift, s.bucketSize(), what);
        assertEquals(bruteForce(in, shift), kept, what);
        assertTrue(kept.size() <= 4L * maxBuckets, what);
        assertEquals(in.get(0), kept.get(0), what + " keeps the first point");
        assertEquals(in.get(in.size() - 1), kept.get(kept.size() - 1), what + " keeps the last point");
    }

    /** Groups by iteration >> shift; keeps first, last, least and greatest cost (first on ties, NaN loses). */
    private static List<Point> bruteForce(List<Point> in, int shift) {
        List<Point> out = new ArrayList<>();
        int i = 0;
        while (i < in.size()) {
            long key = in.get(i).iteration() >> shift;
            int j = i;
            Point min = in.get(i);
            Point max = in.get(i);
            while (j < in.size() && in.get(j).iteration() >> shift == key) {
                Point p = in.get(j);
                if (p.cost() < min.cost() || (Double.isNaN(min.cost()) && !Double.isNaN(p.cost()))) {
                    min = p;
                }
                if (p.cost() > max.cost() || (Double.isNaN(max.cost()) && !Double.isNaN(p.cost()))) {
                    max = p;
                }
                j++;
            }
            Point firstPoint = in.get(i);
            Point lastPoint = in.get(j - 1);
            List<Point> kept = new ArrayList<>(List.of(firstPoint, lastPoint, min, max));
            kept.sort((a, b) -> Long.compare(a.iteration(), b.iteration()));
            for (int k = 0; k < kept.size(); k++) {
                if (k == 0 || kept.get(k).iteration() != kept.get(k - 1).iteration()) {
                    out.add(kept.get(k));
                }
            }
            i = j;
        }
        return out;
    }
}
