package io.trainscope.server.cluster;

import io.trainscope.history.History;
import io.trainscope.point.Points;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.server.bus.RunView;

/**
 * A run trained on another node, as this dashboard node serves it: its latest state and the copy of its points
 * this node keeps (under its data directory's {@code cluster-cache}, apart from the runs it trains, or on the heap
 * without one). The cluster verticle's context changes it; any thread may read {@link #snapshot} and
 * {@link #history}.
 */
final class RemoteRun implements RunView {

    private final String id;
    final String owner;
    private final History history;
    /** Points appended so far; a disk-backed copy publishes them ({@link History#size}) a little later. */
    private long received;
    private volatile RunSnapshot snapshot;
    // Event loop only:
    /** A state received that waits for the points before it. */
    RunSnapshot held;
    /** Shown to this node's viewers (its first state published locally). */
    boolean visible;
    /** A range of points is being fetched from the owner: points published meanwhile are left to it. */
    boolean fetching;
    /** The end (exclusive) of the last local update. */
    long published;
    /** Marked interrupted here because its node went silent; a state from the node puts it right. */
    boolean lost;
    /** The training rate and time its node last sent with points. */
    double itPerSec;
    long elapsedMs;

    private final io.trainscope.server.bus.KeptViews kept;

    RemoteRun(String id, String owner, History history, io.trainscope.server.bus.KeptViews kept) {
        this.id = id;
        this.owner = owner;
        this.history = history;
        this.kept = kept;
    }

    long received() {
        return received;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public RunSnapshot snapshot() {
        return snapshot;
    }

    void snapshot(RunSnapshot state) {
        snapshot = state;
    }

    @Override
    public History history() {
        return history;
    }

    /** Appends what of {@code points} lies beyond what is held; false when they start beyond it (a gap). */
    boolean append(long from, Points points) {
        long size = received;
        if (from > size) {
            return false;
        }
        int start = points.indexOf(size);
        if (start < points.size()) {
            if (start == 0) {
                history.append(points);
            } else {
                Points tail = new Points(points.layout(), points.size() - start);
                tail.addAll(points, start, points.size());
                history.append(tail);
            }
            received = points.lastIteration() + 1;
        }
        return true;
    }

    /** The last point held, as a batch of at most one (a snapshot's {@code latest}). */
    Points latest() {
        long size = history.size();
        return size == 0 ? new Points(history.depth(), 0) : history.read(size - 1, size);
    }

    /** What the run keeps of its views, asked of its node as each part is read ({@link ClusterViews#kept}). */
    @Override
    public io.trainscope.server.bus.KeptViews kept() {
        return kept;
    }
}
