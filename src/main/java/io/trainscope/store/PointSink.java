package io.trainscope.store;

import io.trainscope.point.Points;

import java.io.IOException;

/**
 * Gets the points a read hands on, a block at a time: the block and the index range {@code [from, to)} of the
 * points in it that the read asked for. The block is reused for the next one: copy what must outlive the call.
 */
@FunctionalInterface
public interface PointSink {
    void accept(Points block, int from, int to) throws IOException;
}
