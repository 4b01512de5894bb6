package io.trainscope.store;

import io.trainscope.point.Buckets;
import io.trainscope.point.Layout;
import io.trainscope.point.Points;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * What an open {@link RunLog} holds: its metrics file (a file descriptor and the sparse block index) and the
 * in-memory summary buckets, about a megabyte for a long run. An ended run's log may drop it (see
 * {@link OpenLogs}) and open it again on its next read; the owning log guards it with its lock.
 */
final class LogData implements Closeable {

    private static final System.Logger LOG = System.getLogger(LogData.class.getName());
    /** Up to buckets of 2^2 iterations, a bucket's four kept points are all its points: read them as they are. */
    private static final int RAW_SHIFT_LIMIT = 2;

    final MetricsFile file;
    final Pyramid pyramid;
    final Recovery recovery;
    private final boolean privateFiles;
    /** True while summary.bin describes the file as it is: nothing appended since it was read or written. */
    boolean snapshotCurrent;

    private LogData(MetricsFile file, Pyramid pyramid, Recovery recovery, boolean snapshotCurrent, boolean privateFiles) {
        this.file = file;
        this.pyramid = pyramid;
        this.recovery = recovery;
        this.snapshotCurrent = snapshotCurrent;
        this.privateFiles = privateFiles;
    }

    /**
     * Opens (creating if absent) {@code dir/metrics.bin}. When the run was closed cleanly and its
     * {@link PyramidSnapshot} still matches the file, blocks are only framed and CRC-checked and the summary is
     * loaded; otherwise every block is validated and decoded to rebuild the summary, and a torn or corrupt tail
     * is dropped (see {@link #recovery}).
     */
    static LogData open(Path dir, int depth, StoreOptions options, ColumnFill fill) throws IOException {
        Path path = dir.resolve(MetricsFile.NAME);
        Layout layout = Layout.of(depth);
        Pyramid snapshot = new Pyramid(layout, options.summaryBuckets());
        PyramidSnapshot.Expected expected = PyramidSnapshot.read(dir, depth, snapshot);
        if (expected != null) {
            MetricsFile file = MetricsFile.openTrusted(path, depth, expected, fill);
            if (file != null) {
                return new LogData(file, snapshot, new Recovery(file.points(), file.lastIteration(), 0, null, null), true,
                        options.privateFiles());
            }
        }
        Pyramid pyramid = new Pyramid(layout, options.summaryBuckets());
        Recovery[] report = new Recovery[1];
        MetricsFile file = MetricsFile.open(path, depth, pyramid::add, report, options.privateFiles(), fill);
        return new LogData(file, pyramid, report[0], false, options.privateFiles());
    }

    /** {@link RunLog#downsampled} of {@code start..end}, durable, in buckets of {@code 2^shift} iterations. */
    Points downsampled(long start, long end, int shift, int maxBuckets, String runId) {
        Buckets out = new Buckets(file.layout.schema, Math.min(maxBuckets, 1024));
        try {
            boolean fromMemory = shift > RAW_SHIFT_LIMIT && pyramid.downsample(start, end, shift, out, file);
            if (!fromMemory) {
                file.forEach(start, end, (block, i, to) -> out.add(block, i, to, shift));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the metrics of run " + runId + " failed: " + e.getMessage(), e);
        }
        return out.points();
    }

    /** Writes summary.bin unless it is already current; the caller makes sure nothing is being appended. */
    void saveSummary(Path dir, String runId) {
        if (snapshotCurrent || file.points() == 0) {
            return;
        }
        try {
            PyramidSnapshot.write(dir, pyramid, file, privateFiles);
            snapshotCurrent = true;
        } catch (IOException e) {
            // Only an optimisation: without it the next open rebuilds the summary from the file.
            LOG.log(System.Logger.Level.WARNING, "could not save the summary of run " + runId + ": " + e.getMessage());
        }
    }

    long heapBytes() {
        return pyramid.heapBytes() + file.heapBytes();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
