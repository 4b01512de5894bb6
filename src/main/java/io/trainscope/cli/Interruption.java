package io.trainscope.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C or SIGTERM during training, seen by the training loop: a shutdown hook raises a flag and waits
 * (up to {@link #GRACE_SECONDS}) until the loop has stopped between two iterations and closed its files, so
 * that a metrics file is never cut off mid-line or left with points in a buffer.
 */
final class Interruption implements AutoCloseable {

    static final long GRACE_SECONDS = 5;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread hook = new Thread(this::requestAndWait, "train-interruption");
    /** Read once per iteration: a plain load on x86, nothing beside an iteration's work. */
    private volatile boolean requested;

    private Interruption() {
    }

    static Interruption watch() {
        Interruption interruption = new Interruption();
        Runtime.getRuntime().addShutdownHook(interruption.hook);
        return interruption;
    }

    boolean requested() {
        return requested;
    }

    /** The loop has stopped: lets a waiting hook return, or removes the hook when the run ended by itself. */
    @Override
    public void close() {
        stopped.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running and returns now that the latch is open.
        }
    }

    private void requestAndWait() {
        requested = true;
        try {
            stopped.await(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
