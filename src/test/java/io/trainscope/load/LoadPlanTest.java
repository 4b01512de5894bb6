package io.trainscope.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A test's bounds, and how many processes its viewers get by default. */
class LoadPlanTest {

    private static final Target LOCAL = Target.parse("http://127.0.0.1:8080/", null, null);

    private static LoadPlan plan(int viewers, int slow, int processes, int duration) {
        return new LoadPlan(LOCAL, viewers, slow, processes, duration, 0, 1, 10, 10, null, null);
    }

    @Test
    void twoToEightProcessesOneForEveryBatch() {
        assertEquals(0, LoadPlan.defaultProcesses(0));
        assertEquals(1, LoadPlan.defaultProcesses(1));
        assertEquals(2, LoadPlan.defaultProcesses(100));
        assertEquals(4, LoadPlan.defaultProcesses(1000));
        assertEquals(8, LoadPlan.defaultProcesses(10_000));
        assertEquals(8, LoadPlan.defaultProcesses(LoadPlan.MAX_VIEWERS));
    }

    @Test
    void everyFigureIsBounded() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> plan(LoadPlan.MAX_VIEWERS + 1, 0, 1, 5))
                .getMessage().startsWith("--viewers"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> plan(3, 4, 1, 5)).getMessage().startsWith("--slow"));
        assertThrows(IllegalArgumentException.class, () -> plan(3, 0, 4, 5));
        assertThrows(IllegalArgumentException.class, () -> plan(3, 0, 1, LoadPlan.MAX_DURATION_SECONDS + 1));
        assertThrows(IllegalArgumentException.class,
                () -> new LoadPlan(LOCAL, 1, 0, 1, 5, 0, 1, 10, 10, "r", "{}"));
    }
}
