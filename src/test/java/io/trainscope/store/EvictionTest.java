package io.trainscope.store;

import io.trainscope.run.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A store keeps at most a few ended runs' logs open, and a closed one reads as before. */
class EvictionTest {

    private static final String SPEC = "{\"layers\": [2, 4, 4, 1]}";

    @TempDir
    Path data;

    private static StoreOptions keeping(int runs) {
        return StoreOptions.defaults().withSummaryBuckets(64).withMaxOpenEndedRuns(runs);
    }

    /** Writes {@code runs} finished runs, run r holding its own points; returns them by run. */
    private static List<List<Point>> finishedRuns(RunStore store, int runs, int points) throws Exception {
        List<List<Point>> all = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            List<Point> run = TestPoints.random(100 + r, points, 3, 0, 3);
            RunLog log = store.create(id(r), null, SPEC, 3);
            TestPoints.append(log, run);
            store.setStatus(id(r), RunStatus.FINISHED, null);
            all.add(run);
        }
        return all;
    }

    private static String id(int r) {
        return "run-" + r;
    }

    @Test
    void moreEndedRunsThanTheLimitKeepAtMostTheLimitOpenAndEachReadsItsPointsAgain() throws Exception {
        try (RunStore store = RunStore.open(data, keeping(4))) {
            List<List<Point>> runs = finishedRuns(store, 10, 3000);
            assertTrue(store.openEndedLogs() <= 4, "runs that ended count too: " + store.openEndedLogs());
            List<List<Point>> summaries = new ArrayList<>();
            for (int r = 0; r < 10; r++) {
                summaries.add(Point.rows(store.log(id(r)).downsampled(0, Long.MAX_VALUE, 16).points()));
                assertTrue(store.openEndedLogs() <= 4, "after reading " + r + ": " + store.openEndedLogs());
            }
            assertFalse(store.log(id(0)).isOpen(), "the least recently read run was closed");
            assertEquals(0, store.log(id(0)).heapBytes());
            for (int r = 9; r >= 0; r--) {
                assertEquals(runs.get(r), Point.rows(store.log(id(r)).read(0, Long.MAX_VALUE)), "run " + r);
                assertEquals(summaries.get(r), Point.rows(store.log(id(r)).downsampled(0, Long.MAX_VALUE, 16).points()), "run " + r);
                assertEquals(runs.get(r).size(), store.log(id(r)).points());
                assertEquals(4, store.openEndedLogs());
            }
            assertTrue(store.log(id(0)).isOpen());
            assertFalse(store.log(id(9)).isOpen());
        }
        try (RunStore reopened = RunStore.open(data, keeping(4))) {
            assertEquals(0, reopened.openEndedLogs(), "nothing is opened before it is read");
        }
    }

    @Test
    void aRunIsNotClosedWhileAnotherThreadReadsIt() throws Exception {
        try (RunStore store = RunStore.open(data, keeping(1))) {
            List<List<Point>> runs = finishedRuns(store, 4, 2000);
            RunLog first = store.log(id(0));
            CountDownLatch reading = new CountDownLatch(1);
            CountDownLatch others = new CountDownLatch(1);
            ExecutorService reader = Executors.newSingleThreadExecutor();
            try {
                Future<List<Point>> read = reader.submit(() -> {
                    List<Point> out = new ArrayList<>();
                    first.forEach(0, Long.MAX_VALUE, (block, from, to) -> {
                        for (int i = from; i < to; i++) {
                            if (out.isEmpty()) {
                                reading.countDown();
                                await(others);
                            }
                            out.add(Point.of(block, i));
                        }
                    });
                    return out;
                });
                assertTrue(reading.await(10, TimeUnit.SECONDS));
                for (int r = 1; r < 4; r++) {
                    assertEquals(runs.get(r), Point.rows(store.log(id(r)).read(0, Long.MAX_VALUE)));
                }
                assertTrue(first.isOpen(), "a run being read stays open though it is the least recently used");
                others.countDown();
                assertEquals(runs.get(0), read.get(10, TimeUnit.SECONDS));
            } finally {
                others.countDown();
                reader.shutdownNow();
            }
            store.log(id(1)).read(0, 10);
            assertFalse(first.isOpen(), "once its read is over it is closed at the next read of another run");
            assertEquals(1, store.openEndedLogs());
        }
    }

    @Test
    void manyThreadsReadingRandomRunsWhileTheyAreClosedAndReopenedReadTheRightPoints() throws Exception {
        int runCount = 12;
        try (RunStore store = RunStore.open(data, keeping(3))) {
            List<List<Point>> runs = finishedRuns(store, runCount, 1500);
            List<List<Point>> summaries = new ArrayList<>();
            for (int r = 0; r < runCount; r++) {
                summaries.add(Point.rows(store.log(id(r)).downsampled(0, Long.MAX_VALUE, 8).points()));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Integer>> threads = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    long seed = t;
                    threads.add(pool.submit(() -> {
                        SplittableRandom random = new SplittableRandom(seed);
                        for (int op = 0; op < 400; op++) {
                            int r = random.nextInt(runCount);
                            List<Point> expected = runs.get(r);
                            RunLog log = store.log(id(r));
                            switch (random.nextInt(3)) {
                                case 0 -> {
                                    int from = random.nextInt(expected.size());
                                    int to = Math.min(expected.size() - 1, from + random.nextInt(200));
                                    assertEquals(expected.subList(from, to + 1), Point.rows(log.read(
                                            expected.get(from).iteration(), expected.get(to).iteration())), "run " + r);
                                }
                                case 1 -> assertEquals(summaries.get(r), Point.rows(log.downsampled(0, Long.MAX_VALUE, 8).points()), "run " + r);
                                default -> assertEquals(expected.get(expected.size() - 1).cost(), log.lastCost(), "run " + r);
                            }
                        }
                        return 400;
                    }));
                }
                for (Future<Integer> thread : threads) {
                    assertEquals(400, thread.get(120, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
            store.log(id(0)).read(0, 0);
            assertTrue(store.openEndedLogs() <= 3, "with no read in progress: " + store.openEndedLogs());
            for (int r = 0; r < runCount; r++) {
                assertEquals(runs.get(r), Point.rows(store.log(id(r)).read(0, Long.MAX_VALUE)), "run " + r);
            }
        }
    }

    @Test
    void closedAndOpenRunsCanBeDeleted() throws Exception {
        try (RunStore store = RunStore.open(data, keeping(2))) {
            List<List<Point>> runs = finishedRuns(store, 3, 1000);
            for (int r = 0; r < 3; r++) {
                store.log(id(r)).read(0, 5);
            }
            assertFalse(store.log(id(0)).isOpen());
            assertTrue(store.log(id(2)).isOpen());
            store.delete(id(0));
            store.delete(id(2));
            assertFalse(Files.exists(data.resolve("runs").resolve(id(0))));
            assertFalse(Files.exists(data.resolve("runs").resolve(id(2))));
            assertThrows(NoSuchFileException.class, () -> store.log(id(0)));
            assertEquals(1, store.openEndedLogs());
            assertEquals(runs.get(1), Point.rows(store.log(id(1)).read(0, Long.MAX_VALUE)));
        }
    }

    @Test
    void aLiveRunIsNeverClosed() throws Exception {
        try (RunStore store = RunStore.open(data, keeping(1))) {
            List<Point> points = TestPoints.random(7, 4000, 3, 0, 1);
            RunLog live = store.create("live", null, SPEC, 3);
            TestPoints.append(live, points.subList(0, 2000));
            live.flush();
            finishedRuns(store, 3, 500);
            for (int r = 0; r < 3; r++) {
                store.log(id(r)).read(0, 10);
            }
            assertTrue(live.isOpen());
            assertEquals(1, store.openEndedLogs(), "the live run is not counted");
            TestPoints.append(live, points.subList(2000, 4000));
            store.setStatus("live", RunStatus.FINISHED, null);
            assertEquals(points, Point.rows(live.read(0, Long.MAX_VALUE)));
            store.log(id(0)).read(0, 10);
            assertFalse(live.isOpen(), "once ended it is closed like any other");
            assertEquals(points, Point.rows(live.read(0, Long.MAX_VALUE)));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test's other thread did not go on");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
