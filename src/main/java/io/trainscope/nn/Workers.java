package io.trainscope.nn;

import java.util.concurrent.Semaphore;

/**
 * A fixed set of daemon threads that, with the calling thread, compute the bands of one task at a time: band 0
 * on the caller, band {@code w} on worker {@code w}. Waiting threads block on a semaphore rather than spin, so
 * on a machine whose other cores are busy a product costs what one core can do, not the many times more that a
 * library spinning for its threads costs (docs/performance.md, "Threads on a busy machine").
 */
final class Workers {

    /** One band of a task; the task's inputs are published by {@link #run} before any band starts. */
    interface Task {
        void band(int band);
    }

    private final int threads;
    private final Semaphore[] start;
    private final Semaphore done = new Semaphore(0);
    private Task task;
    private volatile Throwable failure;

    /** {@code threads - 1} daemon threads named {@code name-1…}, started now; at least one thread in all. */
    Workers(int threads, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("need at least one thread, got " + threads);
        }
        this.threads = threads;
        this.start = new Semaphore[threads];
        for (int w = 1; w < threads; w++) {
            start[w] = new Semaphore(0);
            int band = w;
            Thread worker = new Thread(() -> work(band), name + "-" + w);
            worker.setDaemon(true);
            worker.start();
        }
    }

    int threads() {
        return threads;
    }

    /** Runs bands {@code 0 … threads-1} of {@code task} and returns when all have; callers take turns. */
    synchronized void run(Task task) {
        this.task = task;
        for (int w = 1; w < threads; w++) {
            start[w].release();
        }
        try {
            task.band(0);
        } finally {
            // Even when band 0 failed: the workers must be done with the task before another one starts.
            done.acquireUninterruptibly(threads - 1);
            this.task = null;
        }
        Throwable thrown = failure;
        if (thrown != null) {
            failure = null;
            throw new IllegalStateException("a matrix-product worker failed", thrown);
        }
    }

    private void work(int band) {
        while (true) {
            start[band].acquireUninterruptibly();
            try {
                task.band(band);
            } catch (RuntimeException | Error e) {
                failure = e;
            } finally {
                done.release();
            }
        }
    }

    /** Where band {@code band} of {@code size} starts: equal bands, fixed by the size and thread count alone. */
    int bandStart(int band, int size) {
        return (int) ((long) size * band / threads);
    }
}
