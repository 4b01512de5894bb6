package io.trainscope.run;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The statuses as CONTRACT.md names them (and the queued of its extension) in state messages, the REST API and run.json. */
class RunStatusTest {

    @Test
    void wireNamesAreTheContractsAndReadBack() {
        assertEquals(List.of("running", "paused", "stopped", "finished", "failed", "interrupted", "queued"),
                Arrays.stream(RunStatus.values()).map(RunStatus::wire).toList());
        for (RunStatus status : RunStatus.values()) {
            assertEquals(status, RunStatus.parse(status.wire()));
        }
        assertEquals("unknown run status 'RUNNING'",
                assertThrows(IllegalArgumentException.class, () -> RunStatus.parse("RUNNING")).getMessage());
    }

    @Test
    void onlyRunningAndPausedAreLive() {
        assertTrue(RunStatus.RUNNING.live());
        assertTrue(RunStatus.PAUSED.live());
        for (RunStatus ended : List.of(RunStatus.STOPPED, RunStatus.FINISHED, RunStatus.FAILED, RunStatus.INTERRUPTED)) {
            assertFalse(ended.live(), ended.wire());
            assertTrue(ended.ended(), ended.wire());
        }
        assertFalse(RunStatus.RUNNING.ended());
        assertFalse(RunStatus.PAUSED.ended());
    }

    @Test
    void aQueuedRunIsNeitherLiveNorEnded() {
        assertFalse(RunStatus.QUEUED.live());
        assertFalse(RunStatus.QUEUED.ended());
    }
}
