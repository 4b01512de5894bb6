package io.trainscope.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Nanoseconds as {@link System#nanoTime} counts them, that pass only when a test says so. */
public final class TestClock implements LongSupplier {

    private final AtomicLong nanos = new AtomicLong(System.nanoTime());

    @Override
    public long getAsLong() {
        return nanos.get();
    }

    public void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }
}
