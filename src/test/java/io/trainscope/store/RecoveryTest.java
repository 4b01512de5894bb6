package io.trainscope.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A crash leaves a torn last block; disk damage leaves a bad block anywhere. Either way opening keeps every
 * point before it, bit for bit, and never reads the bad bytes as points.
 */
class RecoveryTest {

    /** A long flush interval so that each flush() below writes exactly one block. */
    private static final StoreOptions ONE_BLOCK_PER_FLUSH = new StoreOptions(Duration.ofSeconds(1), false,
            StoreOptions.DEFAULT_SUMMARY_BUCKETS, StoreOptions.DEFAULT_MAX_PENDING_POINTS);

    @TempDir
    Path dir;

    private final List<Point> points = TestPoints.random(5, 700, 3, 0, 3);

    /** Writes points[0,300), [300,600), [600,700) as three blocks; returns the offsets where each block starts and the end. */
    private long[] writeThreeBlocks(Path runDir) throws Exception {
        Files.createDirectories(runDir);
        long[] offsets = new long[4];
        try (RunLog log = RunLog.open("r", runDir, 3, ONE_BLOCK_PER_FLUSH)) {
            int[] ends = {300, 600, 700};
            int from = 0;
            for (int b = 0; b < 3; b++) {
                offsets[b] = log.bytes();
                TestPoints.append(log, points.subList(from, ends[b]));
                log.flush();
                from = ends[b];
            }
            offsets[3] = log.bytes();
        }
        return offsets;
    }

    @Test
    void aLastBlockTornAtAnyByteIsDroppedAndEverythingBeforeItKept() throws Exception {
        Path original = dir.resolve("original");
        long[] offsets = writeThreeBlocks(original);
        byte[] whole = Files.readAllBytes(original.resolve(MetricsFile.NAME));
        assertEquals(offsets[3], whole.length);
        Path run = dir.resolve("torn");
        Files.createDirectories(run);
        Path file = run.resolve(MetricsFile.NAME);
        for (long cut = offsets[2]; cut < offsets[3]; cut++) {
            Files.write(file, Arrays.copyOf(whole, (int) cut));
            try (RunLog log = RunLog.open("r", run, 3, StoreOptions.defaults())) {
                assertEquals(points.subList(0, 600), Point.rows(log.read(0, Long.MAX_VALUE)), "cut at " + cut);
                assertEquals(cut == offsets[2], log.recovery().clean(), "cut at " + cut);
                assertNull(log.recovery().damagedCopy());
                assertEquals(cut - offsets[2], log.recovery().droppedBytes());
                assertEquals(points.get(599).iteration(), log.durableIteration());
            }
            assertEquals(offsets[2], Files.size(file), "the file is cut after the last good block");
        }
        try (RunLog log = RunLog.open("r", run, 3, StoreOptions.defaults())) {
            TestPoints.append(log, points.subList(600, 700));
            log.flush();
            assertEquals(points, Point.rows(log.read(0, Long.MAX_VALUE)), "appending after recovery continues the file");
        }
    }

    @Test
    void aTornFileHeaderIsRewritten() throws Exception {
        Path run = dir.resolve("r");
        Files.createDirectories(run);
        Files.write(run.resolve(MetricsFile.NAME), new byte[] {'T', 'S'});
        try (RunLog log = RunLog.open("r", run, 3, StoreOptions.defaults())) {
            assertEquals(0, log.points());
            assertNotNull(log.recovery().problem());
            TestPoints.append(log, java.util.List.of(points.get(0)));
            log.flush();
        }
        try (RunLog log = RunLog.open("r", run, 3, StoreOptions.defaults())) {
            assertEquals(points.subList(0, 1), Point.rows(log.read(0, Long.MAX_VALUE)));
        }
    }

    /**
     * Policy: a bad block in the middle stops the log there. The points after it cannot be trusted to be
     * where their headers say, so the file is cut at the bad block, and the bytes from it to the end are
     * saved beside it as {@code metrics.damaged-<offset>} for a human to look at; the recovery says so.
     */
    @Test
    void aCorruptBlockInTheMiddleStopsTheLogThereAndItsTailIsSavedAside() throws Exception {
        Path run = dir.resolve("r");
        long[] offsets = writeThreeBlocks(run);
        Path file = run.resolve(MetricsFile.NAME);
        byte[] whole = Files.readAllBytes(file);
        byte[] damaged = whole.clone();
        int victim = (int) (offsets[1] + BlockHeader.BYTES + 100);
        damaged[victim] ^= 0x10;
        Files.write(file, damaged);
        try (RunLog log = RunLog.open("r", run, 3, StoreOptions.defaults())) {
            assertEquals(points.subList(0, 300), Point.rows(log.read(0, Long.MAX_VALUE)));
            Recovery recovery = log.recovery();
            assertTrue(recovery.problem().contains("CRC") && recovery.problem().contains("byte " + offsets[1]),
                    recovery.problem());
            assertEquals(whole.length - offsets[1], recovery.droppedBytes());
            assertArrayEquals(Arrays.copyOfRange(damaged, (int) offsets[1], whole.length),
                    Files.readAllBytes(recovery.damagedCopy()));
        }
        assertEquals(offsets[1], Files.size(file));
    }

    @Test
    void damageDoneWhileTheRunIsOpenIsReportedByTheReadNotReturnedAsPoints() throws Exception {
        Path run = dir.resolve("r");
        long[] offsets = writeThreeBlocks(run);
        try (RunLog log = RunLog.open("r", run, 3, StoreOptions.defaults())) {
            Path file = run.resolve(MetricsFile.NAME);
            byte[] bytes = Files.readAllBytes(file);
            bytes[(int) offsets[1] + BlockHeader.BYTES + 7] ^= 1;
            Files.write(file, bytes);
            assertEquals(points.subList(0, 300), Point.rows(log.read(0, points.get(299).iteration())), "blocks before it still read");
            IOException e = assertThrows(IOException.class, () -> Point.rows(log.read(0, Long.MAX_VALUE)));
            assertTrue(e.getMessage().contains("block at byte " + offsets[1]), e.getMessage());
        }
    }

    @Test
    void aBlockHeaderWithAnImpossibleLengthIsCorruptionNotAReasonToReadFurther() throws Exception {
        Path run = dir.resolve("r");
        long[] offsets = writeThreeBlocks(run);
        Path file = run.resolve(MetricsFile.NAME);
        byte[] damaged = Files.readAllBytes(file);
        damaged[(int) offsets[1] + 3] = 0x7f;
        Files.write(file, damaged);
        try (RunLog log = RunLog.open("r", run, 3, StoreOptions.defaults())) {
            assertEquals(points.subList(0, 300), Point.rows(log.read(0, Long.MAX_VALUE)));
            assertTrue(log.recovery().problem().contains("invalid block header"), log.recovery().problem());
            assertNotNull(log.recovery().damagedCopy());
        }
    }
}
