package io.trainscope.store;

import io.trainscope.history.History;
import io.trainscope.history.Points;
import io.trainscope.nn.StepMetrics;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The server's {@link History} kept on disk by a {@link RunLog}: the server's in-memory history swapped for
 * one that survives a crash. {@link #size()} counts only points already written to the OS, so whatever the
 * server reads and serves below it is still there after a {@code kill -9}. Each appended batch is handed to
 * the writer with {@link RunLog#writeSoon()}, so it becomes readable within a write, not a flush interval.
 *
 * <p>Reads and summaries may touch the file (a zoom finer than the in-memory buckets, an export): call them
 * off the event loop for large ranges. A whole-run summary for a joining viewer is served from memory.
 */
public final class StoredHistory implements History {

    private final RunLog log;
    // The single appender's scratch and position, as History allows one writer.
    private final double[] weightNorms;
    private final double[] gradientNorms;
    private long next;

    public StoredHistory(RunLog log) {
        this.log = log;
        this.weightNorms = new double[log.depth()];
        this.gradientNorms = new double[log.depth()];
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
    public void append(Points batch) {
        for (int p = 0; p < batch.size(); p++) {
            if (batch.iteration(p) != next) {
                throw new IllegalArgumentException("history of " + next + " points cannot take iteration "
                        + batch.iteration(p) + " next");
            }
            batch.norms(p, weightNorms, gradientNorms);
            log.append(next, batch.cost(p), batch.accuracy(p), weightNorms, gradientNorms,
                    batch.validationCost(p), batch.validationAccuracy(p));
            next++;
        }
        if (!batch.isEmpty()) {
            log.writeSoon();
        }
    }

    @Override
    public Points read(long from, long to) {
        long start = Math.max(0, from);
        long end = Math.min(to, size());
        Points out = new Points(depth(), (int) Math.min(Math.max(0, end - start), 1 << 16));
        if (end > start) {
            try {
                log.forEach(start, end - 1, out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /**
     * At most {@code maxPoints} (at least 4) points of {@code [from, to)}: every point when they fit, else
     * {@link RunLog#summary} with {@code maxPoints / 4} buckets (first, last, min-cost, max-cost of each).
     */
    @Override
    public Points summary(long from, long to, int maxPoints) {
        long start = Math.max(0, from);
        long end = Math.min(to, size());
        if (end - start <= maxPoints) {
            return read(start, end);
        }
        Summary summary = log.summary(start, end - 1, Math.max(1, maxPoints / 4));
        Points out = new Points(depth(), summary.points().size());
        StepMetrics m = new StepMetrics(depth());
        for (Point point : summary.points()) {
            point.copyTo(m);
            out.add(m);
        }
        return out;
    }
}
