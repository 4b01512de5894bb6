package io.trainscope.server.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.history.History;
import io.trainscope.history.MemoryHistory;
import io.trainscope.point.Points;
import io.trainscope.run.RunStatus;
import io.trainscope.server.bus.RunCommand.Kind;
import io.trainscope.spec.SpecLimits;
import io.trainscope.testing.ForwardingHistory;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run's state machine: which command each state allows, and that no transition goes anywhere else. */
class RunTest {

    private static final Set<Kind> ON_A_RUN = EnumSet.complementOf(EnumSet.of(Kind.START));

    private static Run run(long iterations) throws Exception {
        return run(iterations, new MemoryHistory(2));
    }

    private static Run run(long iterations, History history) throws Exception {
        ObjectNode spec = (ObjectNode) new ObjectMapper().readTree("{\"layers\": [2, 3, 1], \"learningRate\": 0.5,"
                + " \"iterations\": " + iterations + ", \"dataset\": {\"name\": \"xor\"}}");
        PreparedRun prepared = new EngineRunFactory(SpecLimits.DEFAULT).check(spec).prepare();
        return new Run("r1", prepared, 0, history);
    }

    private static Set<Kind> allowed(Run run) {
        Set<Kind> allowed = EnumSet.noneOf(Kind.class);
        for (Kind kind : ON_A_RUN) {
            if (run.refusal(kind) == null) {
                allowed.add(kind);
            }
        }
        return allowed;
    }

    @Test
    void eachStateAllowsItsCommandsAndNamesWhyOthersAreRefused() throws Exception {
        Run run = run(10);
        assertEquals(RunStatus.RUNNING, run.status());
        assertEquals(EnumSet.of(Kind.STOP, Kind.PAUSE, Kind.SET, Kind.RENAME, Kind.GRADIENT_CHECK), allowed(run));
        assertEquals("run r1 is running; only a paused run can be resumed", run.refusal(Kind.RESUME));
        assertEquals("run r1 is running; stop it before deleting it", run.refusal(Kind.DELETE));

        run.pause();
        assertEquals(EnumSet.of(Kind.STOP, Kind.RESUME, Kind.STEP, Kind.SET, Kind.RENAME, Kind.GRADIENT_CHECK), allowed(run));
        assertEquals("run r1 is paused; only a running run can be paused", run.refusal(Kind.PAUSE));

        run.resume();
        assertEquals(RunStatus.RUNNING, run.status());
        run.end(RunStatus.STOPPED, null);
        assertEquals("run r1 is stopped already", run.refusal(Kind.STOP));
        assertEquals("run r1 is stopped; pause it before stepping", run.refusal(Kind.STEP));
        assertEquals("run r1 is stopped; only a running or paused run's learning rate can change",
                run.refusal(Kind.SET));
        assertThrows(IllegalArgumentException.class, () -> run.refusal(Kind.START));
    }

    @Test
    void anEndedRunIsEndingUntilItsLastPointIsPublishedAndCannotBeDeletedMeanwhile() throws Exception {
        Run run = run(10);
        run.train(Long.MAX_VALUE, 4);
        run.end(RunStatus.STOPPED, null);
        assertTrue(run.endReady(), "4 trained, 4 published");
        assertEquals("run r1 is still writing its last points; try again in a moment", run.refusal(Kind.DELETE));
        run.ended();
        assertFalse(run.endReady());
        assertEquals(EnumSet.of(Kind.RENAME, Kind.DELETE), allowed(run));
    }

    @Test
    void aRunWhoseStorageFailedEndsWithThePointsItHas() throws Exception {
        // A store that has published none of the points handed to it yet.
        History unpublished = new ForwardingHistory(2) {
            @Override
            public long size() {
                return 0;
            }

            @Override
            public Points read(long from, long to) {
                return held.read(from, 0);
            }

            @Override
            public Points downsampled(long from, long to, int maxPoints) {
                return held.read(from, 0);
            }

            @Override
            public double lastCost() {
                return Double.NaN;
            }
        };
        Run run = run(10, unpublished);
        run.train(Long.MAX_VALUE, 4);
        run.end(RunStatus.FAILED, "its points could not be stored");
        assertFalse(run.endReady(), "4 trained, none published: the final state waits");
        assertEquals("its points could not be stored", run.reason());
        run.pointsFinal();
        assertTrue(run.endReady(), "the store refuses more: the end waits for none");
    }

    @Test
    void noTransitionGoesAnywhereButWhereTheMachineSays() throws Exception {
        Run run = run(10);
        assertNotNull(assertThrows(IllegalStateException.class, run::resume).getMessage());
        assertThrows(IllegalStateException.class, () -> run.end(RunStatus.PAUSED, null));
        run.end(RunStatus.FINISHED, null);
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> run.end(RunStatus.STOPPED, null));
        assertEquals("run r1 cannot go from finished to stopped", again.getMessage());
        assertThrows(IllegalStateException.class, run::pause);
        assertThrows(IllegalStateException.class, run::resume);
        assertEquals(RunStatus.FINISHED, run.status());
        assertNull(run.reason());
    }
}
