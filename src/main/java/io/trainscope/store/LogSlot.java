package io.trainscope.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Where a {@link RunLog} keeps its {@link LogData}, and when that may be dropped (file closed, summary let go)
 * and opened again. The rules, which make a read never see the file closed under it:
 * <ul>
 *   <li>a read holds the read lock from {@link #acquire()} to {@link #release()}; dropping, reopening,
 *       attaching or detaching the writer and closing take the write lock;</li>
 *   <li>the writer thread uses the data without the lock, so the data is only dropped while no writer is
 *       attached, and a writer is detached only once its thread has stopped;</li>
 *   <li>{@link OpenLogs} lists the slot only while its data is there, no writer is attached and it is not
 *       closed: it is added under the read lock and removed under the write lock.</li>
 * </ul>
 */
final class LogSlot {

    private static final System.Logger LOG = System.getLogger(LogSlot.class.getName());

    private final String runId;
    private final Path dir;
    private final int depth;
    private final StoreOptions options;
    private final OpenLogs openLogs;
    private final ColumnFill fill;
    private final LongConsumer reopened;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private LogData data;
    private volatile MetricsWriter writer;
    private boolean closed;

    /** {@code reopened} hears the last iteration of the file each time it is opened again. */
    LogSlot(String runId, Path dir, int depth, StoreOptions options, OpenLogs openLogs, ColumnFill fill, LogData data,
            LongConsumer reopened) {
        this.fill = fill;
        this.runId = runId;
        this.dir = dir;
        this.depth = depth;
        this.options = options;
        this.openLogs = openLogs;
        this.data = data;
        this.reopened = reopened;
    }

    /**
     * Returns the data with the read lock held (call {@link #release()} in a {@code finally}), opening it again
     * if it was dropped, and counts the read in {@link OpenLogs} when no writer is attached.
     *
     * @throws IllegalStateException when the log is closed
     * @throws UncheckedIOException  when the file cannot be opened again
     */
    LogData acquire() {
        lock.readLock().lock();
        if (data == null) {
            lock.readLock().unlock();
            lock.writeLock().lock();
            try {
                reopen();
                lock.readLock().lock();
            } finally {
                lock.writeLock().unlock();
            }
        }
        if (writer == null && !closed) {
            try {
                openLogs.used(this);
            } catch (RuntimeException | Error e) {
                lock.readLock().unlock();
                throw e;
            }
        }
        return data;
    }

    void release() {
        lock.readLock().unlock();
    }

    <T> T read(Function<LogData, T> read) {
        LogData d = acquire();
        try {
            return read.apply(d);
        } finally {
            release();
        }
    }

    MetricsWriter writer() {
        return writer;
    }

    /** Attaches the writer {@code start} makes of the data, opened again if need be, unless one is attached. */
    MetricsWriter startWriter(Function<LogData, MetricsWriter> start) {
        lock.writeLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the metrics of run " + runId + " are closed");
            }
            if (writer == null) {
                reopen();
                openLogs.forget(this);
                data.snapshotCurrent = false;
                writer = start.apply(data);
            }
            return writer;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Detaches {@code stopped}, whose thread has ended; when it wrote everything, saves the summary, and the run,
     * now ended, counts among {@link OpenLogs}.
     */
    void writerStopped(MetricsWriter stopped, boolean wroteAll) {
        lock.writeLock().lock();
        try {
            if (stopped != null && writer == stopped) {
                writer = null;
            }
            if (wroteAll && writer == null && data != null) {
                data.saveSummary(dir, runId);
                if (!closed) {
                    openLogs.used(this);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Drops the data if no read is in progress and no writer attached (called by {@link OpenLogs}); saves the
     * summary first if it is not saved (a run recovered after a crash), so that reopening is quick.
     */
    void closeIfIdle() {
        if (!lock.writeLock().tryLock()) {
            return;
        }
        try {
            if (data == null || writer != null) {
                return;
            }
            openLogs.forget(this);
            data.saveSummary(dir, runId);
            try {
                data.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the metrics of run " + runId + " failed: " + e.getMessage());
            }
            data = null;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Marks the slot closed: no writer starts and nothing reopens from now. False when it already was. */
    boolean markClosed() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Closes the file once every read in progress is over; call after {@link #markClosed()} and stopping the writer. */
    void closeData() throws IOException {
        lock.writeLock().lock();
        try {
            openLogs.forget(this);
            if (data != null) {
                data.close();
                data = null;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    boolean isOpen() {
        lock.readLock().lock();
        try {
            return data != null;
        } finally {
            lock.readLock().unlock();
        }
    }

    long heapBytes() {
        lock.readLock().lock();
        try {
            return data == null ? 0 : data.heapBytes();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** With the write lock held: opens the data again if it was dropped. */
    private void reopen() {
        if (data != null) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("the metrics of run " + runId + " are closed");
        }
        try {
            data = LogData.open(dir, depth, options, fill);
        } catch (IOException e) {
            throw new UncheckedIOException("reopening the metrics of run " + runId + " failed: " + e.getMessage(), e);
        }
        if (!data.recovery.clean()) {
            LOG.log(System.Logger.Level.WARNING, "run " + runId + " changed on disk while closed: "
                    + data.recovery.problem() + " was dropped");
        }
        reopened.accept(data.file.lastIteration());
    }
}
