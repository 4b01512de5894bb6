package io.trainscope.testing;

import io.trainscope.history.History;
import io.trainscope.history.MemoryHistory;
import io.trainscope.point.Points;

/** A run's history on the heap, every call passed on to a {@link MemoryHistory}: tests override what they watch. */
public class ForwardingHistory implements History {

    protected final MemoryHistory held;

    public ForwardingHistory(int depth) {
        this.held = new MemoryHistory(depth);
    }

    @Override
    public void append(Points batch) {
        held.append(batch);
    }

    @Override
    public int depth() {
        return held.depth();
    }

    @Override
    public long size() {
        return held.size();
    }

    @Override
    public Points read(long from, long to) {
        return held.read(from, to);
    }

    @Override
    public Points downsampled(long from, long to, int maxPoints) {
        return held.downsampled(from, to, maxPoints);
    }

    @Override
    public double lastCost() {
        return held.lastCost();
    }
}
