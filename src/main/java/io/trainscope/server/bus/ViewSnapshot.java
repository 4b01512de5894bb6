package io.trainscope.server.bus;

/**
 * A snapshot of one {@link View} of a run, made on the training side and published on {@link Addresses#SNAPSHOTS}.
 * Its arrays are never changed once published.
 */
public sealed interface ViewSnapshot permits HistogramsSnapshot, BoundarySnapshot, NetworkSnapshot {

    String runId();

    /** After this many iterations. */
    long iteration();

    View view();
}
