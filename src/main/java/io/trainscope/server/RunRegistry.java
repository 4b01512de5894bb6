package io.trainscope.server;

import io.trainscope.run.RunStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every run of this server, oldest first. The training verticle adds runs; the HTTP verticle reads them
 * (snapshots and histories) directly: a history read can be millions of points, which belong in a streamed
 * response, not in an event-bus message. Thread-safe.
 */
public final class RunRegistry {

    private final Map<String, Run> byId = new ConcurrentHashMap<>();
    private final List<Run> runs = new CopyOnWriteArrayList<>();
    private final AtomicLong counter = new AtomicLong();

    /**
     * A new id: start time in base 36 and a counter, so ids sort by start and do not collide with runs a
     * previous server kept on disk.
     */
    String newId() {
        return "r" + Long.toString(System.currentTimeMillis(), 36) + "-" + counter.incrementAndGet();
    }

    void add(Run run) {
        byId.put(run.id(), run);
        runs.add(run);
    }

    /**
     * Adds a run that ended before this server started (read back by a store), with its history. A run that
     * was training when the server died must come as {@link RunStatus#INTERRUPTED}.
     */
    public Run restore(RunSnapshot ended, io.trainscope.history.History history) {
        Run run = Run.restored(ended, history);
        add(run);
        return run;
    }

    /** Forgets a deleted run. */
    void remove(String id) {
        Run run = byId.remove(id);
        if (run != null) {
            runs.remove(run);
        }
    }

    /** The run with this id, or null. */
    public Run find(String id) {
        return id == null ? null : byId.get(id);
    }

    /** All runs, oldest first. */
    public List<Run> list() {
        return List.copyOf(runs);
    }

    /** The most recently started run, or null. */
    public Run latest() {
        int n = runs.size();
        return n == 0 ? null : runs.get(n - 1);
    }
}
