package io.trainscope.store;

import io.trainscope.nn.StepMetrics;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * One run's metrics: every point at full resolution in {@code metrics.bin}, plus the in-memory part of its
 * summary. Obtained from {@link RunStore#create} (to write) or {@link RunStore#log} (to read; it may also be
 * written to). Appending is cheap and thread-safe; a dedicated thread writes (see {@link MetricsWriter}).
 *
 * <p>Readers ({@link #summary}, {@link #forEach}, {@link #read}) see only points already written to the OS,
 * up to {@link #durableIteration()}: serve viewers from here, or no further than that iteration, and every
 * point served survives a {@code kill -9}.
 */
public final class RunLog implements Closeable {

    private static final System.Logger LOG = System.getLogger(RunLog.class.getName());
    /** Up to buckets of 2^2 iterations, a bucket's four kept points are all its points: read them as they are. */
    private static final int RAW_SHIFT_LIMIT = 2;

    private final String runId;
    private final Path dir;
    private final MetricsFile file;
    private final Pyramid pyramid;
    private final StoreOptions options;
    private final Recovery recovery;
    private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
    private volatile long durable;
    private volatile MetricsWriter writer;
    private boolean closed;
    /** True while summary.bin describes the file as it is: nothing appended since it was read or written. */
    private boolean snapshotCurrent;

    private RunLog(String runId, Path dir, MetricsFile file, Pyramid pyramid, StoreOptions options, Recovery recovery) {
        this.runId = runId;
        this.dir = dir;
        this.file = file;
        this.pyramid = pyramid;
        this.options = options;
        this.recovery = recovery;
        this.durable = file.lastIteration();
    }

    /**
     * Opens (creating if absent) {@code dir/metrics.bin}. When the run was closed cleanly and its
     * {@link SummarySnapshot} still matches the file, blocks are only framed and CRC-checked and the summary is
     * loaded; otherwise every block is validated and decoded to rebuild the summary, and a torn or corrupt tail is dropped (see {@link #recovery()}).
     */
    static RunLog open(String runId, Path dir, int depth, StoreOptions options) throws IOException {
        Path path = dir.resolve(MetricsFile.NAME);
        Pyramid snapshot = new Pyramid(depth, options.summaryBuckets());
        SummarySnapshot.Expected expected = SummarySnapshot.read(dir, depth, snapshot);
        if (expected != null) {
            MetricsFile file = MetricsFile.openTrusted(path, depth, expected);
            if (file != null) {
                RunLog log = new RunLog(runId, dir, file, snapshot, options,
                        new Recovery(file.points(), file.lastIteration(), 0, null, null));
                log.snapshotCurrent = true;
                return log;
            }
        }
        Pyramid pyramid = new Pyramid(depth, options.summaryBuckets());
        Recovery[] report = new Recovery[1];
        MetricsFile file = MetricsFile.open(path, depth, pyramid::add, report);
        return new RunLog(runId, dir, file, pyramid, options, report[0]);
    }

    /** What opening the file found and dropped. */
    public Recovery recovery() {
        return recovery;
    }

    public int depth() {
        return file.depth;
    }

    /** The last iteration written to the OS, -1 when none: what readers can see and what survives a kill. */
    public long durableIteration() {
        return durable;
    }

    /** The number of points written to the OS. */
    public long points() {
        return file.points();
    }

    /** The cost of the last durable point, NaN when there is none. */
    public double lastCost() {
        return file.lastCost();
    }

    /** The bytes of the metrics file. */
    public long bytes() {
        return file.bytes();
    }

    /** Hands one point to the writer; copies it, so {@code m} may be reused at once. */
    public void append(StepMetrics m) {
        append(m.iteration, m.cost, m.accuracy, m.weightNorms, m.gradientNorms, m.validationCost, m.validationAccuracy);
    }

    public void append(Point p) {
        append(p.iteration(), p.cost(), p.accuracy(), p.weightNorms(), p.gradientNorms(), p.validationCost(),
                p.validationAccuracy());
    }

    /**
     * Hands one point to the writer. Iterations must increase (gaps are fine).
     *
     * @throws IllegalArgumentException when the iteration does not follow the last one or the depth differs
     * @throws UncheckedIOException     when an earlier write failed (the disk is full, say)
     */
    public void append(long iteration, double cost, double accuracy, double[] weightNorms, double[] gradientNorms,
                       double validationCost, double validationAccuracy) {
        writer().append(iteration, cost, accuracy, weightNorms, gradientNorms, validationCost, validationAccuracy);
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
     * Iterations {@code from..to} (clipped to what is durable) in at most {@code maxBuckets} aligned buckets of
     * a power-of-two size, keeping each bucket's first, last, min-cost and max-cost points; every point when
     * the range is that small. A late viewer asks for {@code summary(0, Long.MAX_VALUE, n)}; zooming is the
     * same call on a sub-range. Served from memory, except for ranges finer than the in-memory buckets
     * (and the two buckets straddling the range's ends), which are read from the file: at most
     * {@code maxBuckets} in-memory buckets' worth of points.
     */
    public Summary summary(long from, long to, int maxBuckets) {
        if (maxBuckets < 1) {
            throw new IllegalArgumentException("maxBuckets must be at least 1, got " + maxBuckets);
        }
        long end = Math.min(to, durableIteration());
        long start = Math.max(0, from);
        if (end < start) {
            return Summary.empty(start, end);
        }
        int shift = 0;
        while ((end >> shift) - (start >> shift) + 1 > maxBuckets) {
            shift++;
        }
        int outShift = shift;
        Buckets out = new Buckets(file.depth, Math.min(maxBuckets, 1024));
        try {
            boolean fromMemory = shift > RAW_SHIFT_LIMIT && pyramid.summarize(start, end, shift, out, file);
            if (!fromMemory) {
                file.forEach(start, end, m -> out.addPoint(m.iteration >> outShift, m));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the metrics of run " + runId + " failed: " + e.getMessage(), e);
        }
        return new Summary(start, end, 1L << shift, out.points());
    }

    /** Visits every durable point with {@code from <= iteration <= to}, in order, holding one block in memory. */
    public void forEach(long from, long to, PointVisitor visitor) throws IOException {
        file.forEach(from, to, visitor);
    }

    /** The durable points with {@code from <= iteration <= to}, in memory: for short ranges. */
    public List<Point> read(long from, long to) throws IOException {
        List<Point> out = new ArrayList<>();
        file.forEach(from, to, m -> out.add(Point.of(m)));
        return out;
    }

    /** Heap this log holds while open and idle: the summary buckets and the file index. */
    public long heapBytes() {
        return pyramid.heapBytes() + file.heapBytes();
    }

    /** True while points may still be appended. */
    public boolean writing() {
        return writer != null;
    }

    /**
     * Writes what is pending and stops the writer thread; the log stays open for reading. Saves the summary
     * (summary.bin) so that reopening the run later is quick.
     */
    public void finishWriting() {
        MetricsWriter w;
        synchronized (this) {
            w = writer;
            writer = null;
        }
        if (w != null) {
            w.close();
        }
        saveSummary();
    }

    private synchronized void saveSummary() {
        if (snapshotCurrent || writer != null || file.points() == 0) {
            return;
        }
        try {
            SummarySnapshot.write(dir, pyramid, file);
            snapshotCurrent = true;
        } catch (IOException e) {
            // Only an optimisation: without it the next open rebuilds the summary from the file.
            LOG.log(System.Logger.Level.WARNING, "could not save the summary of run " + runId + ": " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            finishWriting();
        } finally {
            file.close();
        }
    }

    private MetricsWriter writer() {
        MetricsWriter w = writer;
        return w != null ? w : startWriter();
    }

    private synchronized MetricsWriter startWriter() {
        if (closed) {
            throw new IllegalStateException("the metrics of run " + runId + " are closed");
        }
        if (writer == null) {
            snapshotCurrent = false;
            writer = new MetricsWriter(runId, file, pyramid, options, this::published);
        }
        return writer;
    }

    private MetricsWriter currentWriter() {
        return writer;
    }
}
