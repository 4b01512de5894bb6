package io.trainscope.store;

import io.trainscope.nn.StepMetrics;
import io.trainscope.point.Downsample;
import io.trainscope.point.Downsampled;
import io.trainscope.point.Layout;
import io.trainscope.point.Points;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * One run's metrics: every point at full resolution in {@code metrics.bin}, plus the in-memory part of its
 * summary. Obtained from {@link RunStore#create} (to write) or {@link RunStore#log} (to read; it may also be
 * written to). Appending is cheap and thread-safe; a dedicated thread writes (see {@link MetricsWriter}).
 *
 * <p>Readers ({@link #downsampled}, {@link #forEach}, {@link #read}) see only points already written to the OS,
 * up to {@link #durableIteration()}: serve viewers from here, or no further than that iteration, and every
 * point served survives a {@code kill -9}.
 *
 * <p>Once a run has ended (no writer), its store may close the file and drop the summary when the log has not
 * been read for a while ({@link OpenLogs}); the next read opens them again, transparently. Every read holds
 * the log's read lock for its duration, and dropping takes the write lock, so no read ever sees the file
 * closed under it.
 */
public final class RunLog implements Closeable {

    private static final System.Logger LOG = System.getLogger(RunLog.class.getName());

    private final String runId;
    private final int depth;
    private final StoreOptions options;
    private final Recovery recovery;
    private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
    private final LogSlot slot;
    private volatile long durable;

    private RunLog(String runId, Path dir, int depth, StoreOptions options, OpenLogs openLogs, ColumnFill fill,
                   LogData data) {
        this.runId = runId;
        this.depth = depth;
        this.options = options;
        this.recovery = data.recovery;
        this.durable = data.file.lastIteration();
        this.slot = new LogSlot(runId, dir, depth, options, openLogs, fill, data, last -> durable = last);
    }

    /** Opens a log of its own, never closed for want of memory: see {@link LogData#open}. */
    static RunLog open(String runId, Path dir, int depth, StoreOptions options) throws IOException {
        return open(runId, dir, depth, options, new OpenLogs(Integer.MAX_VALUE), ColumnFill.NONE);
    }

    /**
     * Opens a log (see {@link LogData#open}) that {@code openLogs} may close once it is ended and unread;
     * {@code fill} gives the columns that a file written by an older version lacks.
     */
    static RunLog open(String runId, Path dir, int depth, StoreOptions options, OpenLogs openLogs, ColumnFill fill)
            throws IOException {
        RunLog log = new RunLog(runId, dir, depth, options, openLogs, fill, LogData.open(dir, depth, options, fill));
        // Counts it among the open ended logs until a writer is attached.
        log.slot.read(d -> d);
        return log;
    }

    /** What opening the file found and dropped. */
    public Recovery recovery() {
        return recovery;
    }

    public int depth() {
        return depth;
    }

    /** The last iteration written to the OS, -1 when none: what readers can see and what survives a kill. */
    public long durableIteration() {
        return durable;
    }

    /** The number of points written to the OS. */
    public long points() {
        return slot.read(d -> d.file.points());
    }

    /** The cost of the last durable point, NaN when there is none. */
    public double lastCost() {
        return slot.read(d -> d.file.lastCost());
    }

    /** The bytes of the metrics file. */
    public long bytes() {
        return slot.read(d -> d.file.bytes());
    }

    /**
     * Hands one point to the writer; copies it, so {@code m} may be reused at once. Iterations must increase (gaps
     * are fine).
     *
     * @throws IllegalArgumentException when the iteration does not follow the last one or the depth differs
     * @throws UncheckedIOException     when an earlier write failed (the disk is full, say)
     */
    public void append(StepMetrics m) {
        writer().append(m);
    }

    /** Hands points {@code [from, to)} of {@code batch} to the writer, copied; as {@link #append(StepMetrics)}. */
    public void append(Points batch, int from, int to) {
        writer().append(batch, from, to);
    }

    /**
     * Asks the writer to write what is pending now instead of at the end of its flush interval, without
     * waiting: for a caller that appends in batches (a training chunk) and wants them durable, hence servable,
     * at once. Costs a block per call, so call it per batch, not per point.
     */
    public void writeSoon() {
        MetricsWriter w = currentWriter();
        if (w != null) {
            w.writeSoon();
        }
    }

    /** Returns once every point appended before the call is written to the OS. */
    public void flush() {
        MetricsWriter w = currentWriter();
        if (w != null) {
            w.flush();
        }
    }

    /**
     * Calls {@code listener} with the new {@link #durableIteration()} after each write, on the writer's
     * thread: keep it short, and hop to your own thread (an event loop) before doing real work.
     */
    public void onDurable(LongConsumer listener) {
        listeners.add(listener);
    }

    /** Called by the writer once a write is in the file and in the summary. */
    private void published(long iteration) {
        durable = iteration;
        for (LongConsumer listener : listeners) {
            try {
                listener.accept(iteration);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a durable-iteration listener of run " + runId + " failed", e);
            }
        }
    }

    /**
     * Iterations {@code from..to} (clipped to what is durable) by {@link Downsample}'s rule: at most
     * {@code maxBuckets} aligned buckets of a power-of-two size, keeping each bucket's first, last, min-cost and
     * max-cost points; every point when the range is that small. A late viewer asks for
     * {@code downsampled(0, Long.MAX_VALUE, n)}; zooming is the same call on a sub-range. Served from memory,
     * except for ranges finer than the in-memory buckets (and the two buckets straddling the range's ends), which
     * are read from the file: at most {@code maxBuckets} in-memory buckets' worth of points.
     */
    public Downsampled downsampled(long from, long to, int maxBuckets) {
        long end = Math.min(to, durableIteration());
        long start = Math.max(0, from);
        if (end < start) {
            return new Downsampled(start, end, 1, false, new Points(Layout.of(depth), 0));
        }
        int shift = Downsample.shift(start, end, maxBuckets);
        Points points = slot.read(d -> d.downsampled(start, end, shift, maxBuckets, runId));
        return new Downsampled(start, end, 1L << shift, shift > 0, points);
    }

    /** Hands on every durable point with {@code from <= iteration <= to}, in order, one block in memory at a time. */
    public void forEach(long from, long to, PointSink sink) throws IOException {
        LogData d = slot.acquire();
        try {
            d.file.forEach(from, Math.min(to, durableIteration()), sink);
        } finally {
            slot.release();
        }
    }

    /**
     * The durable points with {@code from <= iteration <= to}, in memory: for short ranges. Points written
     * moments ago come from the blocks the writer keeps, as written, without reading the file.
     */
    public Points read(long from, long to) throws IOException {
        long end = Math.min(to, durableIteration());
        Points out = new Points(Layout.of(depth), (int) Math.min(Math.max(0, end - Math.max(0, from) + 1), 1 << 16));
        MetricsWriter w = currentWriter();
        if (w != null && w.readRecent(from, end, out)) {
            return out;
        }
        forEach(from, end, out::addAll);
        return out;
    }

    /** Heap this log holds now: the summary buckets and the file index while open, nothing once dropped. */
    public long heapBytes() {
        return slot.heapBytes();
    }

    /** Whether the file is open and the summary in memory: false once an ended log was dropped for memory. */
    boolean isOpen() {
        return slot.isOpen();
    }

    /** True while points may still be appended. */
    public boolean writing() {
        return slot.writer() != null;
    }

    /**
     * Writes what is pending and stops the writer thread; the log stays open for reading. Saves the summary
     * (summary.bin) so that reopening the run later is quick.
     */
    public void finishWriting() {
        MetricsWriter w = slot.writer();
        boolean wroteAll = false;
        try {
            if (w != null) {
                // Outside the slot's lock: the writer thread's listeners may read this log while it stops.
                w.close();
            }
            wroteAll = true;
        } finally {
            slot.writerStopped(w, wroteAll);
        }
    }

    @Override
    public void close() throws IOException {
        if (!slot.markClosed()) {
            return;
        }
        try {
            finishWriting();
        } finally {
            slot.closeData();
        }
    }

    private MetricsWriter writer() {
        MetricsWriter w = slot.writer();
        return w != null ? w : slot.startWriter(d -> {
            if (!d.file.layout.current()) {
                throw new IllegalStateException("run " + runId + "'s metrics were written by an older version (format "
                        + d.file.layout.version + "); they take no more points");
            }
            return new MetricsWriter(runId, d.file, d.pyramid, options, this::published);
        });
    }

    private MetricsWriter currentWriter() {
        return slot.writer();
    }
}
