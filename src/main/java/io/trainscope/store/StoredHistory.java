package io.trainscope.store;

import io.trainscope.history.History;
import io.trainscope.point.Downsample;
import io.trainscope.point.Points;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The server's {@link History} kept on disk by a {@link RunLog}: the server's in-memory history swapped for
 * one that survives a crash. {@link #size()} counts only points already written to the OS, so whatever the
 * server reads and serves below it is still there after a {@code kill -9}. Each appended batch is handed to
 * the writer with {@link RunLog#writeSoon()}, so it becomes readable within a write, not a flush interval; the
 * points a live run pushes come from the blocks just written, not from the file.
 *
 * <p>Reads and downsampling may touch the file (a zoom finer than the in-memory buckets, an export): call them
 * off the event loop.
 */
public final class StoredHistory implements History {

    private final RunLog log;
    private long next;

    public StoredHistory(RunLog log) {
        this.log = log;
        this.next = log.durableIteration() + 1;
    }

    public RunLog log() {
        return log;
    }

    @Override
    public int depth() {
        return log.depth();
    }

    @Override
    public long size() {
        return log.durableIteration() + 1;
    }

    @Override
    public double lastCost() {
        return log.lastCost();
    }

    @Override
    public void append(Points batch) {
        for (int p = 0; p < batch.size(); p++) {
            if (batch.iteration(p) != next + p) {
                throw new IllegalArgumentException("history of " + (next + p) + " points cannot take iteration "
                        + batch.iteration(p) + " next");
            }
        }
        log.append(batch, 0, batch.size());
        next += batch.size();
        if (!batch.isEmpty()) {
            log.writeSoon();
        }
    }

    @Override
    public Points read(long from, long to) {
        long start = Math.max(0, from);
        long end = Math.min(to, size());
        try {
            return log.read(start, end - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every point when they fit, else {@link RunLog#downsampled} in {@link Downsample#buckets} buckets. */
    @Override
    public Points downsampled(long from, long to, int maxPoints) {
        long start = Math.max(0, from);
        long end = Math.min(to, size());
        if (end - start <= maxPoints) {
            return read(start, end);
        }
        return log.downsampled(start, end - 1, Downsample.buckets(maxPoints)).points();
    }
}
