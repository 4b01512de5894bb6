package io.trainscope.store;

import io.trainscope.run.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunStoreTest {

    private static final String SPEC = "{\"layers\": [2, 4, 1], \"learningRate\": 0.1, \"iterations\": 1000}";

    @TempDir
    Path data;

    @Test
    void runsAreListedNewestFirstWithTheirSpecAndProgress() throws Exception {
        List<Point> points = TestPoints.random(9, 5000, 2, 0, 1);
        try (RunStore store = RunStore.open(data)) {
            RunLog first = store.create("a", "first", SPEC, 2);
            TestPoints.append(first, points);
            store.setStatus("a", RunStatus.FINISHED, null);
            Thread.sleep(5);
            store.create("b", "second", "{}", 3);
            List<RunInfo> runs = store.list();
            assertEquals(List.of("b", "a"), runs.stream().map(RunInfo::id).toList());
            RunInfo a = runs.get(1);
            assertEquals(RunStatus.FINISHED, a.status());
            assertEquals(5000, a.iterations());
            assertEquals(points.get(4999).cost(), a.finalCost());
            assertNotNull(a.endedAt());
            assertEquals(SPEC, store.spec("a"));
            assertFalse(first.writing(), "a finished run's writer thread is stopped");
        }
        try (RunStore reopened = RunStore.open(data)) {
            assertEquals(points, Point.rows(reopened.log("a").read(0, Long.MAX_VALUE)));
            assertEquals(RunStatus.FINISHED, reopened.info("a").orElseThrow().status());
        }
    }

    @Test
    void aRunThatWasTrainingWhenTheServerDiedReadsInterrupted() throws Exception {
        List<Point> points = TestPoints.random(10, 3000, 2, 0, 1);
        try (RunStore store = RunStore.open(data)) {
            RunLog log = store.create("live", "x", SPEC, 2);
            TestPoints.append(log, points);
            store.setStatus("live", RunStatus.PAUSED, null);
            log.flush();
            // No final status: close() only writes and closes, as a crash would leave run.json.
        }
        try (RunStore store = RunStore.open(data)) {
            RunInfo info = store.info("live").orElseThrow();
            assertEquals(RunStatus.INTERRUPTED, info.status());
            assertEquals(RunStore.INTERRUPTED_REASON, info.reason());
            assertEquals(3000, info.iterations());
            assertEquals(points.get(2999).cost(), info.finalCost());
            assertNotNull(info.endedAt());
            assertEquals(points, Point.rows(store.log("live").read(0, Long.MAX_VALUE)));
            assertEquals(1, store.recoveries().size());
        }
    }

    @Test
    void aRunCanBeRenamedAndDeleted() throws Exception {
        try (RunStore store = RunStore.open(data)) {
            RunLog log = store.create("r1", "old", SPEC, 2);
            TestPoints.append(log, TestPoints.random(11, 1, 2, 0, 1));
            assertThrows(IllegalStateException.class, () -> store.delete("r1"), "a run being written cannot be deleted");
            store.setStatus("r1", RunStatus.STOPPED, "stopped by a viewer");
            assertEquals("new", store.rename("r1", "new").name());
            assertEquals("stopped by a viewer", store.info("r1").orElseThrow().reason());
            store.delete("r1");
            assertTrue(store.list().isEmpty());
            assertTrue(store.info("r1").isEmpty());
            assertThrows(NoSuchFileException.class, () -> store.spec("r1"));
            try (var left = Files.list(data.resolve("runs"))) {
                assertEquals(0, left.count(), "nothing is left behind");
            }
        }
    }

    @Test
    void learningRateChangesOutliveStatusChangesACrashAndAreAbsentFromOldRunJson() throws Exception {
        List<RateChange> changes = List.of(new RateChange(3, 0.05), new RateChange(9, 0.2));
        try (RunStore store = RunStore.open(data)) {
            RunLog log = store.create("lr", null, SPEC, 2);
            TestPoints.append(log, TestPoints.random(12, 10, 2, 0, 1));
            assertEquals(changes, store.changes("lr", changes).changes());
            store.setStatus("lr", RunStatus.PAUSED, null);
            store.rename("lr", "tuned");
            log.flush();
            store.create("old", null, SPEC, 2);
            store.setStatus("old", RunStatus.STOPPED, null);
        }
        Path old = data.resolve("runs/old/run.json");
        String written = Files.readString(old);
        Files.writeString(old, written.replaceAll(",\\s*\"changes\"\\s*:\\s*\\[\\s*\\]", ""));
        assertFalse(Files.readString(old).contains("changes"), "a run.json as written before live changes");
        try (RunStore store = RunStore.open(data)) {
            RunInfo info = store.info("lr").orElseThrow();
            assertEquals(RunStatus.INTERRUPTED, info.status());
            assertEquals("tuned", info.name());
            assertEquals(changes, info.changes());
            assertEquals(List.of(), store.info("old").orElseThrow().changes());
        }
    }

    @Test
    void badIdsAndDuplicatesAreRefusedWithTheirReason() throws Exception {
        try (RunStore store = RunStore.open(data)) {
            for (String bad : new String[] {"", "..", "../x", "a/b", ".hidden", "x".repeat(65)}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> store.create(bad, null, SPEC, 2), bad);
                assertTrue(e.getMessage().contains("run id"), e.getMessage());
            }
            store.create("same", null, SPEC, 2);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> store.create("same", null, SPEC, 2))
                    .getMessage().contains("already exists"));
        }
    }

    @Test
    void aRunWhoseRunJsonIsDamagedIsSkippedNotFatal() throws Exception {
        try (RunStore store = RunStore.open(data)) {
            store.create("good", null, SPEC, 2);
            store.setStatus("good", RunStatus.STOPPED, null);
            store.create("bad", null, SPEC, 2);
            store.setStatus("bad", RunStatus.STOPPED, null);
        }
        Files.writeString(data.resolve("runs/bad/run.json"), "{\"id\": ");
        try (RunStore store = RunStore.open(data)) {
            assertEquals(List.of("good"), store.list().stream().map(RunInfo::id).toList());
            assertNull(store.info("good").orElseThrow().finalCost());
        }
    }
}
