package io.trainscope.history;

import io.trainscope.point.Points;

/**
 * Every iteration of one run, in order: point {@code i} is iteration {@code i}. One thread appends (the run's
 * trainer); any thread may read what has been published ({@link HistoryReader}). The in-memory
 * {@link MemoryHistory} is one implementation, the store's disk-backed one another.
 */
public interface History extends HistoryReader {

    /** Appends a batch whose first iteration is {@link #size()}; the single writer's call. */
    void append(Points batch);
}
