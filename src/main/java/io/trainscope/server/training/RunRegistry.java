package io.trainscope.server.training;

import io.trainscope.history.History;
import io.trainscope.run.RunStatus;
import io.trainscope.server.bus.KeptViews;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.server.bus.RunView;
import io.trainscope.server.bus.RunsView;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every run of this server, oldest first. The training verticle adds and removes runs; the web side reads them
 * through {@link RunsView} only. Thread-safe.
 */
public final class RunRegistry implements RunsView {

    private final Map<String, Run> byId = new ConcurrentHashMap<>();
    private final List<Run> runs = new CopyOnWriteArrayList<>();
    private final AtomicLong counter = new AtomicLong();
    private final RunRecords records;

    /** {@code records}: where the runs are kept, which knows their parameter files. */
    public RunRegistry(RunRecords records) {
        this.records = records;
    }

    public RunRecords records() {
        return records;
    }

    @Override
    public java.nio.file.Path parameters(String id) {
        return records.parameters(id);
    }

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
     * Adds a run that ended before this server started (read back by a store), with its history and what it kept
     * of its views. A run that
     * was training when the server died must come as {@link RunStatus#INTERRUPTED}.
     */
    public Run restore(RunSnapshot ended, History history, KeptViews kept) {
        Run run = Run.restored(ended, history, kept);
        add(run);
        return run;
    }

    /** Puts {@code fresh} where {@code old} was (same id, same place in the order): a restored queued run requeued. */
    void replace(Run old, Run fresh) {
        if (!old.id().equals(fresh.id())) {
            throw new IllegalArgumentException("run " + old.id() + " cannot be replaced by run " + fresh.id());
        }
        int at = runs.indexOf(old);
        if (at < 0) {
            throw new IllegalArgumentException("run " + old.id() + " is not registered");
        }
        runs.set(at, fresh);
        byId.put(fresh.id(), fresh);
    }

    /** Forgets a deleted run. */
    void remove(String id) {
        Run run = byId.remove(id);
        if (run != null) {
            runs.remove(run);
            run.releaseViews();
        }
    }

    @Override
    public Run find(String id) {
        return id == null ? null : byId.get(id);
    }

    @Override
    public List<RunView> list() {
        return List.copyOf(runs);
    }

    /** All runs, oldest first, with their control state: the training side's own list. */
    List<Run> runs() {
        return List.copyOf(runs);
    }

    @Override
    public Run latest() {
        int n = runs.size();
        return n == 0 ? null : runs.get(n - 1);
    }
}
