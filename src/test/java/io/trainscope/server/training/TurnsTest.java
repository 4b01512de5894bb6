package io.trainscope.server.training;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TurnsTest {

    /** Turns started and not yet finished, in the order they started. */
    private final ArrayDeque<String> started = new ArrayDeque<>();

    /** Per key, the threads its turns were given, in order. */
    private final Map<String, List<Integer>> threads = new HashMap<>();

    private IntConsumer starts(String key) {
        return thread -> {
            started.add(key);
            threads.computeIfAbsent(key, k -> new ArrayList<>()).add(thread);
        };
    }

    @Test
    void neverStartsMoreTurnsThanThreads() {
        Turns<String> turns = new Turns<>(2);
        for (String key : List.of("a", "b", "c", "d")) {
            turns.ask(key, starts(key));
        }
        assertEquals(List.of("a", "b"), List.copyOf(started));
        assertEquals(2, turns.running());
        assertEquals(2, turns.waiting());
        turns.finished(started.poll(), 10);
        assertEquals(List.of("b", "c"), List.copyOf(started));
    }

    @Test
    void theLeastServedWaitingGoesNext() {
        Turns<String> turns = new Turns<>(1);
        turns.ask("a", starts("a"));
        turns.ask("b", starts("b"));
        turns.ask("c", starts("c"));
        List<String> order = new ArrayList<>();
        // a does 100, b 30, c 50, then b (the least served) again, 10, and c (50 against a's 100 and b's 40).
        for (long done : new long[] {100, 30, 50, 10}) {
            String key = started.poll();
            order.add(key);
            turns.finished(key, done);
            turns.ask(key, starts(key));
        }
        order.add(started.peek());
        assertEquals(List.of("a", "b", "c", "b", "c"), order);
    }

    /**
     * Four equal runs on two threads, one of them 25 % slower (a budget buys it 800 iterations, the other 1,000):
     * taken in a fixed order two runs would keep the slow thread; taken by least work all four stay level.
     */
    @Test
    void equalRunsStayLevelWhenOneThreadIsSlower() {
        Turns<String> turns = new Turns<>(2);
        Map<String, Long> iterations = new HashMap<>();
        List<String> keys = List.of("a", "b", "c", "d");
        // Which simulated thread each running turn is on (as Turns gave it), and when (in simulated time) it ends.
        Map<String, Integer> thread = new HashMap<>();
        for (String key : keys) {
            turns.ask(key, on -> thread.put(key, on));
        }
        double[] busyUntil = new double[2];
        for (int step = 0; step < 4_000; step++) {
            // The thread whose turn ends first finishes it; every turn is one budget of time on its thread.
            String done = null;
            for (Map.Entry<String, Integer> running : thread.entrySet()) {
                if (done == null || busyUntil[running.getValue()] < busyUntil[thread.get(done)]) {
                    done = running.getKey();
                }
            }
            int on = thread.remove(done);
            busyUntil[on] += 1;
            long trained = on == 0 ? 1_000 : 800;
            iterations.merge(done, trained, Long::sum);
            turns.finished(done, trained);
            String again = done;
            turns.ask(again, next -> {
                assertTrue(!thread.containsValue(next), "thread " + next + " given twice");
                thread.put(again, next);
            });
        }
        long least = iterations.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        long most = iterations.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(least >= 0.99 * most, "four equal runs trained between " + least + " and " + most + " iterations");
    }

    @Test
    void aRunThatSatOutStartsLevelWithTheLeastServedNotAhead() {
        Turns<String> turns = new Turns<>(1);
        turns.ask("a", starts("a"));
        turns.ask("b", starts("b"));
        for (int i = 0; i < 10; i++) {
            String key = started.poll();
            turns.finished(key, 100);
            turns.ask(key, starts(key));
        }
        // c has sat out all of that: it goes next (level with the least served), but only once before the others
        // get their turns again.
        turns.finished(started.poll(), 100);
        turns.ask("c", starts("c"));
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String key = started.poll();
            order.add(key);
            turns.finished(key, 100);
            if (!key.equals("c") || i < 3) {
                turns.ask(key, starts(key));
            }
        }
        assertEquals(2, order.stream().filter("c"::equals).count(), order.toString());
    }

    /**
     * A run keeps the thread it ran on while that one is free: one run on two threads stays on one (given any idle
     * thread, it alternated at every chunk and trained 9 % slower), and two runs on two threads keep one each.
     */
    @Test
    void aRunStaysOnItsThreadWhileItIsFree() {
        Turns<String> turns = new Turns<>(2);
        turns.ask("a", starts("a"));
        for (int i = 0; i < 5; i++) {
            turns.finished(started.poll(), 100);
            turns.ask("a", starts("a"));
        }
        assertEquals(List.of(0, 0, 0, 0, 0, 0), threads.get("a"));
        turns.ask("b", starts("b"));
        for (int i = 0; i < 6; i++) {
            String key = started.poll();
            turns.finished(key, 100);
            turns.ask(key, starts(key));
        }
        assertEquals(List.of(1, 1, 1, 1), threads.get("b"));
        assertTrue(threads.get("a").stream().allMatch(t -> t == 0), threads.toString());
    }

    /** A run forgotten while its turn waits or runs is forgotten once that turn finishes, not kept for good. */
    @Test
    void aRunForgottenDuringItsTurnIsForgottenAfterIt() {
        Turns<String> turns = new Turns<>(1);
        turns.ask("a", starts("a"));
        turns.ask("b", starts("b"));
        turns.forget("a");
        turns.forget("b");
        assertEquals(2, turns.held(), "both still have a turn");
        turns.finished(started.poll(), 100);
        assertEquals(1, turns.held(), "a's turn is over");
        turns.finished(started.poll(), 100);
        assertEquals(0, turns.held());
    }

    @Test
    void aSecondTurnWhileOneWaitsOrRunsIsAMistake() {
        Turns<String> turns = new Turns<>(1);
        turns.ask("a", starts("a"));
        assertThrows(IllegalStateException.class, () -> turns.ask("a", starts("a")));
        turns.ask("b", starts("b"));
        assertThrows(IllegalStateException.class, () -> turns.ask("b", starts("b")));
        assertThrows(IllegalStateException.class, () -> turns.finished("b", 1));
        assertThrows(IllegalArgumentException.class, () -> new Turns<String>(0));
    }
}
