package io.trainscope.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Takes points from the training thread and writes them on its own thread. {@link #append} only copies
 * the point into a block buffer under a lock (tens of nanoseconds); the writer thread takes every filled
 * buffer at once, and the partly filled one at least every {@link StoreOptions#flushInterval()}, encodes
 * each as a block, writes it to the OS, adds it to the summary, and then announces the new durable
 * iteration. When the writer falls more than {@link StoreOptions#maxPendingPoints()} behind, {@code append}
 * waits: backpressure rather than unbounded memory or dropped points.
 */
final class MetricsWriter {

    private static final int SPARE_BUFFERS = 2;

    private final MetricsFile file;
    private final Pyramid pyramid;
    private final StoreOptions options;
    private final Thread thread;
    private final LongConsumer published;
    private final Object lock = new Object();
    private final ArrayDeque<PointBuffer> full = new ArrayDeque<>();
    private final ArrayDeque<PointBuffer> spare = new ArrayDeque<>();
    private PointBuffer filling;
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
        this.published = published;
        this.lastAppended = file.lastIteration();
        this.thread = new Thread(this::run, "trainscope-store-" + runId);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void append(long iteration, double cost, double accuracy, double[] weightNorms, double[] gradientNorms,
                double validationCost, double validationAccuracy) {
        if (weightNorms.length != file.depth || gradientNorms.length != file.depth) {
            throw new IllegalArgumentException("this run stores " + file.depth + " norms a point, got "
                    + weightNorms.length + " weight and " + gradientNorms.length + " gradient norms");
        }
        synchronized (lock) {
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
                filling = spare.isEmpty() ? new PointBuffer(file.depth) : spare.pop();
            }
            filling.add(iteration, cost, accuracy, weightNorms, gradientNorms, validationCost, validationAccuracy);
            lastAppended = iteration;
            pending++;
            if (filling.full()) {
                full.add(filling);
                filling = null;
                lock.notifyAll();
            }
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
        List<PointBuffer> batch = new ArrayList<>();
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
                if (filling != null && filling.size > 0) {
                    batch.add(filling);
                    filling = null;
                }
                ticket = flushRequested;
                stop = closing;
                urgent = false;
            }
            long written = 0;
            try {
                for (PointBuffer block : batch) {
                    file.append(block);
                    pyramid.add(block);
                    written += block.size;
                }
                if (options.fsync() && written > 0) {
                    file.force();
                }
            } catch (IOException | RuntimeException e) {
                synchronized (lock) {
                    failure = e instanceof IOException io ? io : new IOException(e.toString(), e);
                    lock.notifyAll();
                }
                return;
            }
            if (written > 0) {
                published.accept(file.lastIteration());
            }
            synchronized (lock) {
                pending -= written;
                for (PointBuffer block : batch) {
                    if (spare.size() < SPARE_BUFFERS) {
                        block.size = 0;
                        spare.push(block);
                    }
                }
                flushDone = ticket;
                lock.notifyAll();
                if (stop && full.isEmpty() && (filling == null || filling.size == 0)) {
                    return;
                }
            }
            batch.clear();
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
