package io.trainscope.store;

import io.trainscope.nn.StepMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunLogTest {

    @TempDir
    Path dir;

    @Test
    void everyPointComesBackBitForBitIncludingNaNAndGaps() throws Exception {
        List<Point> points = TestPoints.random(1, 20_000, 3, 0, 10);
        points.set(5, new Point(points.get(5).iteration(), TestPoints.oddNaN(), Double.NaN, new double[] {Double.NaN, 1, 2},
                new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0}, TestPoints.oddNaN(), 0.25));
        try (RunLog log = RunLog.open("r", dir, 3, StoreOptions.defaults())) {
            TestPoints.append(log, points);
            log.flush();
            assertEquals(points.get(points.size() - 1).iteration(), log.durableIteration());
            assertEquals(points, Point.rows(log.read(0, Long.MAX_VALUE)));
            assertEquals(Double.doubleToRawLongBits(TestPoints.oddNaN()), Double.doubleToRawLongBits(Point.rows(log.read(0, Long.MAX_VALUE)).get(5).cost()));
        }
        try (RunLog log = RunLog.open("r", dir, 3, StoreOptions.defaults())) {
            assertTrue(log.recovery().clean());
            assertEquals(points.size(), log.points());
            assertEquals(points, Point.rows(log.read(0, Long.MAX_VALUE)));
        }
    }

    @Test
    void aRangeHoldsExactlyThePointsWithinIt() throws Exception {
        List<Point> points = TestPoints.random(2, 30_000, 2, 100, 5);
        try (RunLog log = RunLog.open("r", dir, 2, StoreOptions.defaults())) {
            TestPoints.append(log, points);
            log.flush();
            for (long[] range : new long[][] {{0, 99}, {0, 100}, {150, 151}, {4000, 9000}, {20_000, Long.MAX_VALUE}, {-5, 3}}) {
                List<Point> expected = points.stream()
                        .filter(p -> p.iteration() >= range[0] && p.iteration() <= range[1]).toList();
                assertEquals(expected, Point.rows(log.read(range[0], range[1])), "range " + range[0] + ".." + range[1]);
            }
        }
    }

    @Test
    void appendingAfterReopeningContinuesTheRun() throws Exception {
        List<Point> points = TestPoints.random(3, 9000, 1, 0, 1);
        try (RunLog log = RunLog.open("r", dir, 1, StoreOptions.defaults())) {
            TestPoints.append(log, points.subList(0, 5000));
        }
        try (RunLog log = RunLog.open("r", dir, 1, StoreOptions.defaults())) {
            assertThrows(IllegalArgumentException.class, () -> TestPoints.append(log, java.util.List.of(points.get(4999))));
            TestPoints.append(log, points.subList(5000, 9000));
            log.flush();
            assertEquals(points, Point.rows(log.read(0, Long.MAX_VALUE)));
        }
    }

    @Test
    void exportVisitsEveryPointInOrderWhileTheRunIsStillWriting() throws Exception {
        List<Point> points = TestPoints.random(4, 50_000, 3, 0, 3);
        try (RunLog log = RunLog.open("r", dir, 3, StoreOptions.defaults())) {
            TestPoints.append(log, points.subList(0, 30_000));
            log.flush();
            List<Point> exported = new ArrayList<>();
            Thread more = new Thread(() -> TestPoints.append(log, points.subList(30_000, 50_000)));
            more.start();
            log.forEach(0, Long.MAX_VALUE, (block, from, to) -> {
                for (int i = from; i < to; i++) {
                    exported.add(Point.of(block, i));
                }
            });
            more.join();
            assertTrue(exported.size() >= 30_000);
            assertEquals(points.subList(0, exported.size()), exported);
        }
    }

    @Test
    void listenersHearOfEachDurableIterationAndPointsOutOfOrderAreRefused() throws Exception {
        try (RunLog log = RunLog.open("r", dir, 2, StoreOptions.defaults())) {
            List<Long> heard = new CopyOnWriteArrayList<>();
            log.onDurable(heard::add);
            StepMetrics m = new StepMetrics(2);
            for (int i = 0; i < 10; i++) {
                m.iteration = i;
                log.append(m);
            }
            log.flush();
            assertEquals(9L, heard.get(heard.size() - 1));
            assertEquals(9L, log.durableIteration());
            m.iteration = 9;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> log.append(m));
            assertTrue(e.getMessage().contains("does not follow 9"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> log.append(new StepMetrics(3)));
        }
    }

    @Test
    void pointsReachTheFileWithinTheFlushIntervalWithoutAnyFlushCall() throws Exception {
        try (RunLog log = RunLog.open("r", dir, 1, StoreOptions.defaults())) {
            StepMetrics m = new StepMetrics(1);
            log.append(m);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (log.durableIteration() < 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, log.durableIteration());
        }
    }

    /**
     * A write that fills the disk part of the way through a batch of blocks: the blocks before the failing one are
     * in the file, so they count as durable too. Before, the count in memory stopped at the previous write while
     * run.json (and a restart) counted the blocks in the file: a run on a full disk showed 47,387 iterations and
     * recorded 51,483.
     */
    @Test
    void aDiskFilledMidBatchLeavesTheBlocksBeforeItDurable() throws Exception {
        com.google.common.jimfs.Configuration small = com.google.common.jimfs.Configuration.unix().toBuilder()
                .setMaxSize(1 << 20).build();
        try (java.nio.file.FileSystem disk = com.google.common.jimfs.Jimfs.newFileSystem(small)) {
            Path runDir = disk.getPath("/runs/r");
            java.nio.file.Files.createDirectories(runDir);
            int blocks = 24;
            io.trainscope.point.Points batch = new io.trainscope.point.Points(1, blocks * MetricsFile.BLOCK_POINTS);
            java.util.Random random = new java.util.Random(7);
            for (int i = 0; i < blocks * MetricsFile.BLOCK_POINTS; i++) {
                double[] lanes = new double[batch.layout().width()];
                for (int lane = 0; lane < lanes.length; lane++) {
                    lanes[lane] = random.nextDouble();
                }
                batch.add(i, lanes);
            }
            RunLog log = RunLog.open("r", runDir, 1, StoreOptions.defaults());
            // One append: every block is handed over at once, and the writer takes them in one batch.
            log.append(batch, 0, batch.size());
            assertThrows(java.io.UncheckedIOException.class, log::flush, "the disk fills");
            long inFile = log.points();
            assertTrue(inFile > 0 && inFile < batch.size(), inFile + " points in the file: the disk filled mid-batch");
            assertEquals(inFile - 1, log.durableIteration(), "every point in the file is durable");
            assertEquals(inFile, log.read(0, Long.MAX_VALUE).size(), "and readable");
        }
    }
}
