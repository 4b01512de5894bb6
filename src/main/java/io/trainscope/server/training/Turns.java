package io.trainscope.server.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntConsumer;

/**
 * Whose chunk trains next when more runs want a chunk than there are training threads: the one that has done the
 * least work so far (its iterations times an estimate of an iteration's work), as in stride scheduling. Each chunk is
 * one budget of CPU time, but a budget buys fewer iterations on a core that is slower for the moment (shared with a
 * sibling hyperthread, or a virtual CPU the host keeps taking away); taken in a fixed order, the same runs kept
 * landing on the same thread, and on a CI machine one of four equal runs trained 22 % less than another. Taken by
 * least work, a run that fell behind goes next, on whichever thread is free, and equal runs stay within about a
 * chunk of each other. A run that asks again straight after its turn keeps what it is owed; one that comes back
 * after sitting out others' turns (paced, paused, new) starts level with the least-served run that is competing,
 * not with the credit of the time it sat out.
 *
 * <p>A turn is given its thread: the one its key last ran on when that one is free. A run alone (or runs no more
 * than threads) thus stays on one thread and its caches; handed to whichever thread of a shared pool was idle, one
 * run alternated between two threads at every chunk and trained 9 % slower (speed.py's medium network, 2,510-2,550
 * against 2,750-2,810 it/s on one thread).
 *
 * <p>Never more turns are started than threads, each on a free one. Keys are compared with {@link Object#equals}.
 * On one thread only (the training verticle's context).
 *
 * @param <K> what takes turns (a run)
 */
final class Turns<K> {

    private record Waiting<K>(K key, IntConsumer start, long order) {
    }

    private final int threads;
    private final Map<K, Double> work = new HashMap<>();
    /** Per key with a turn running, its thread. */
    private final Map<K, Integer> running = new HashMap<>();
    private final TreeSet<Integer> free = new TreeSet<>();
    /** Per key, the thread its last turn ran on. */
    private final Map<K, Integer> lastThread = new HashMap<>();
    /** Keys forgotten while a turn of theirs waited or ran: forgotten when it finishes. */
    private final Set<K> forgotten = new HashSet<>();
    private final List<Waiting<K>> waiting = new ArrayList<>();
    /** Per key, {@link #turnsStarted} when its last turn finished. */
    private final Map<K, Long> finishedAt = new HashMap<>();
    private long asked;
    private long turnsStarted;

    Turns(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        this.threads = threads;
        for (int i = 0; i < threads; i++) {
            free.add(i);
        }
    }

    /**
     * {@code key} wants a turn: {@code start} is called with the thread to run it on (0 to threads - 1) when one is
     * free and no one who has done less work is waiting (at once when a thread is free now). At most one turn of a
     * key waits or runs at a time.
     */
    void ask(K key, IntConsumer start) {
        forgotten.remove(key);
        if (running.containsKey(key) || waiting.stream().anyMatch(w -> w.key().equals(key))) {
            throw new IllegalStateException(key + " already has a turn");
        }
        double done = work.getOrDefault(key, 0.0);
        Long finished = finishedAt.get(key);
        if (finished == null || turnsStarted - finished > threads) {
            // New, or back after sitting out others' turns: level with the least served, no credit for the wait.
            double floor = least();
            done = Double.isNaN(floor) ? done : Math.max(done, floor);
        }
        // Else straight back from its last turn: it keeps what it is owed (a slow thread's turn did less).
        work.put(key, done);
        waiting.add(new Waiting<>(key, start, asked++));
        dispatch();
    }

    /** {@code key}'s turn is over, having done {@code done} work: the next waiting turn starts. */
    void finished(K key, double done) {
        Integer thread = running.remove(key);
        if (thread == null) {
            throw new IllegalStateException(key + " has no turn running");
        }
        free.add(thread);
        work.merge(key, Math.max(0, done), Double::sum);
        finishedAt.put(key, turnsStarted);
        if (forgotten.remove(key)) {
            drop(key);
        }
        dispatch();
    }

    /**
     * {@code key} will ask no more (its run ended): what it did is forgotten, now or, when a turn of it waits or
     * runs, as that turn finishes.
     */
    void forget(K key) {
        if (running.containsKey(key) || waiting.stream().anyMatch(w -> w.key().equals(key))) {
            forgotten.add(key);
        } else {
            drop(key);
        }
    }

    private void drop(K key) {
        work.remove(key);
        finishedAt.remove(key);
        lastThread.remove(key);
    }

    /** Keys whose work, last turn or last thread is still held: for tests. */
    int held() {
        Set<K> keys = new HashSet<>(work.keySet());
        keys.addAll(finishedAt.keySet());
        keys.addAll(lastThread.keySet());
        return keys.size();
    }

    int waiting() {
        return waiting.size();
    }

    int running() {
        return running.size();
    }

    /** The least work among the keys waiting or running, or NaN when none is. */
    private double least() {
        double least = Double.NaN;
        for (K key : running.keySet()) {
            least = Double.isNaN(least) ? work.get(key) : Math.min(least, work.get(key));
        }
        for (Waiting<K> w : waiting) {
            least = Double.isNaN(least) ? work.get(w.key()) : Math.min(least, work.get(w.key()));
        }
        return least;
    }

    private void dispatch() {
        while (running.size() < threads && !waiting.isEmpty()) {
            Waiting<K> next = waiting.get(0);
            for (Waiting<K> w : waiting) {
                double a = work.get(w.key());
                double b = work.get(next.key());
                if (a < b || (a == b && w.order() < next.order())) {
                    next = w;
                }
            }
            waiting.remove(next);
            Integer last = lastThread.get(next.key());
            int thread = last != null && free.contains(last) ? last : free.first();
            free.remove(thread);
            running.put(next.key(), thread);
            lastThread.put(next.key(), thread);
            turnsStarted++;
            // May finish before it returns (a quick turn completed on this thread): the state is already updated.
            next.start().accept(thread);
        }
    }
}
