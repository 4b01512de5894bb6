package io.trainscope.server.training;

import io.trainscope.history.History;

/** Where a new run's points are kept: on the heap by default, on disk once a store provides one. */
@FunctionalInterface
public interface HistoryFactory {

    History create(String runId, int depth);
}
