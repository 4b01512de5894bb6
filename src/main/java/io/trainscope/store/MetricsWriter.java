package io.trainscope.store;

import io.trainscope.nn.StepMetrics;
import io.trainscope.point.Layout;
import io.trainscope.point.Points;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Takes points from the training thread and writes them on its own thread. {@link #append} only copies
 * the point into a block under a lock (tens of nanoseconds); the writer thread takes every filled block at
 * once, and the partly filled one at least every {@link StoreOptions#flushInterval()}, encodes each, writes it to
 * the OS, adds it to the summary, and then announces the new durable iteration. When the writer falls more than
 * {@link StoreOptions#maxPendingPoints()} behind, {@code append} waits: backpressure rather than unbounded memory
 * or dropped points.
 *
 * <p>The blocks just written are kept a while ({@link #RECENT_BLOCKS}, {@link #RECENT_POINTS}), so that the live
 * path reads the points it pushes to viewers from them, as they were written, instead of decoding them back
 * from the file ({@link #readRecent}).
 */
final class MetricsWriter {

    private static final int SPARE_BUFFERS = 2;
    /** Blocks kept after they are written, at most, and points in them: about a push interval of a fast run. */
    static final int RECENT_BLOCKS = 6;
    static final int RECENT_POINTS = 3 * MetricsFile.BLOCK_POINTS;

    private final MetricsFile file;
    private final Pyramid pyramid;
    private final StoreOptions options;
    private final Layout layout;
    private final Thread thread;
    private final LongConsumer published;
    private final Object lock = new Object();
    private final ArrayDeque<Points> full = new ArrayDeque<>();
    private final ArrayDeque<Points> spare = new ArrayDeque<>();
    /** Written blocks, oldest first; together they hold {@code recentPoints} points. */
    private final ArrayDeque<Points> recent = new ArrayDeque<>();
    private int recentPoints;
    private Points filling;
    private long pending;
    private long lastAppended;
    private long flushRequested;
    private long flushDone;
    private boolean closing;
    private boolean urgent;
    private IOException failure;

    /** {@code published} is called on the writer thread with the last iteration of every write, once it is readable. */
    MetricsWriter(String runId, MetricsFile file, Pyramid pyramid, StoreOptions options, LongConsumer published) {
        this.file = file;
        this.pyramid = pyramid;
        this.options = options;
        this.layout = file.layout.schema;
        this.published = published;
        this.lastAppended = file.lastIteration();
        this.thread = new Thread(this::run, "trainscope-store-" + runId);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Hands one step's metrics to the writer, copied. */
    void append(StepMetrics m) {
        if (m.weightNorms.length != layout.depth()) {
            throw new IllegalArgumentException("this run stores points of " + layout.depth() + " layers, got "
                    + m.weightNorms.length);
        }
        synchronized (lock) {
            Points block = room(m.iteration);
            block.add(m);
            appended(m.iteration, block);
        }
    }

    /** Hands points {@code [from, to)} of {@code batch}, of the schema's layout, to the writer, copied. */
    void append(Points batch, int from, int to) {
        if (!batch.layout().equals(layout)) {
            throw new IllegalArgumentException("this run stores points of " + layout + ", got " + batch.layout());
        }
        synchronized (lock) {
            for (int i = from; i < to; i++) {
                Points block = room(batch.iteration(i));
                block.add(batch, i);
                appended(batch.iteration(i), block);
            }
        }
    }

    /** With the lock held: the block the next point (of {@code iteration}) goes into, once there is room. */
    private Points room(long iteration) {
        checkOpen();
        if (iteration <= lastAppended) {
            throw new IllegalArgumentException("iteration " + iteration + " does not follow " + lastAppended
                    + ": points must arrive in increasing iteration order");
        }
        while (pending >= options.maxPendingPoints() && failure == null && !closing) {
            waitOn();
        }
        checkOpen();
        if (filling == null) {
            filling = spare.isEmpty() ? new Points(layout, MetricsFile.BLOCK_POINTS) : spare.pop();
        }
        return filling;
    }

    private void appended(long iteration, Points block) {
        lastAppended = iteration;
        pending++;
        if (block.size() == MetricsFile.BLOCK_POINTS) {
            full.add(block);
            filling = null;
            lock.notifyAll();
        }
    }

    /** Asks for what is pending to be written now rather than at the end of the flush interval; does not wait. */
    void writeSoon() {
        synchronized (lock) {
            urgent = true;
            lock.notifyAll();
        }
    }

    /** Returns once every point appended before the call is written to the OS (and forced, with fsync on). */
    void flush() {
        synchronized (lock) {
            long ticket = ++flushRequested;
            lock.notifyAll();
            while (flushDone < ticket && failure == null && thread.isAlive()) {
                waitOn();
            }
            if (failure != null) {
                throw new UncheckedIOException("writing metrics failed: " + failure.getMessage(), failure);
            }
        }
    }

    /**
     * Copies the written points with {@code from <= iteration <= to} into {@code into} when the blocks kept since
     * they were written cover {@code from}; false, copying nothing, when they do not (read the file).
     */
    boolean readRecent(long from, long to, Points into) {
        synchronized (lock) {
            if (recent.isEmpty() || recent.peekFirst().firstIteration() > from) {
                return false;
            }
            for (Points block : recent) {
                if (block.lastIteration() < from) {
                    continue;
                }
                if (block.firstIteration() > to) {
                    break;
                }
                into.addAll(block, block.indexOf(from), to == Long.MAX_VALUE ? block.size() : block.indexOf(to + 1));
            }
            return true;
        }
    }

    /** Writes what is pending, then stops the thread. */
    void close() {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            if (failure != null) {
                throw new UncheckedIOException("writing metrics failed: " + failure.getMessage(), failure);
            }
        }
    }

    private void run() {
        List<Points> batch = new ArrayList<>();
        while (true) {
            long ticket;
            boolean stop;
            synchronized (lock) {
                long deadline = System.nanoTime() + options.flushInterval().toNanos();
                while (full.isEmpty() && !closing && !urgent && flushRequested == flushDone) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        lock.wait(left / 1_000_000, (int) (left % 1_000_000));
                    } catch (InterruptedException e) {
                        closing = true;
                    }
                }
                batch.addAll(full);
                full.clear();
                if (filling != null && filling.size() > 0) {
                    batch.add(filling);
                    filling = null;
                }
                ticket = flushRequested;
                stop = closing;
                urgent = false;
            }
            long written = 0;
            int blocks = 0;
            try {
                for (Points block : batch) {
                    file.append(block);
                    blocks++;
                    pyramid.add(block);
                    written += block.size();
                }
                if (options.fsync() && written > 0) {
                    file.force();
                }
            } catch (IOException | RuntimeException e) {
                // The blocks before the one that failed are in the file (a restart will read them): they are
                // published, so that the run's count is the same in memory, in run.json and after a restart.
                List<Points> inFile = batch.subList(0, blocks);
                if (blocks > 0) {
                    synchronized (lock) {
                        keepRecent(inFile);
                    }
                    published.accept(file.lastIteration());
                }
                synchronized (lock) {
                    failure = e instanceof IOException io ? io : new IOException(e.toString(), e);
                    lock.notifyAll();
                }
                return;
            }
            synchronized (lock) {
                keepRecent(batch);
            }
            if (written > 0) {
                published.accept(file.lastIteration());
            }
            synchronized (lock) {
                pending -= written;
                flushDone = ticket;
                lock.notifyAll();
                if (stop && full.isEmpty() && (filling == null || filling.size() == 0)) {
                    return;
                }
            }
            batch.clear();
        }
    }

    /** With the lock held: keeps the blocks just written, and recycles the oldest kept ones beyond the bounds. */
    private void keepRecent(List<Points> written) {
        for (Points block : written) {
            recent.addLast(block);
            recentPoints += block.size();
        }
        while (!recent.isEmpty() && (recent.size() > RECENT_BLOCKS || recentPoints - recent.peekFirst().size() >= RECENT_POINTS)) {
            Points old = recent.pollFirst();
            recentPoints -= old.size();
            if (spare.size() < SPARE_BUFFERS) {
                old.clear();
                spare.push(old);
            }
        }
    }

    private void checkOpen() {
        if (failure != null) {
            throw new UncheckedIOException("writing metrics failed: " + failure.getMessage(), failure);
        }
        if (closing) {
            throw new IllegalStateException("this run's metrics are closed for writing");
        }
    }

    private void waitOn() {
        try {
            lock.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the metrics writer", e);
        }
    }
}
