package io.trainscope.server.training;

/**
 * A run's clocks: its training time (pauses excluded), its measured rate, and the schedule that holds it to its
 * pace ({@link Pace} reads the pace from the spec). Training verticle context only, like the other control
 * fields of {@link Run}; the caller passes the run's iterations trained, which this class does not count.
 */
final class RunClock {

    /** How far behind its pace a run may fall and still catch up; beyond it, the pace starts again from now. */
    static final double PACE_MAX_LAG_SECONDS = 0.1;

    /** Iterations a second, or 0 for as fast as possible. */
    private final double pace;
    private long activeNanos;
    private long activeSince;
    private long rateNanos;
    private long rateIteration;
    private double itPerSec;
    private long paceNanos;
    private long paceIteration;

    private RunClock(double pace, long activeNanos, long activeSince, long startNanos) {
        this.pace = pace;
        this.activeNanos = activeNanos;
        this.activeSince = activeSince;
        this.rateNanos = startNanos;
        this.paceNanos = startNanos;
    }

    /** Running from now, for a new run. */
    static RunClock started(double pace) {
        long now = System.nanoTime();
        return new RunClock(pace, 0, now, now);
    }

    /** Stopped at {@code elapsedMs} of training, for a run that ended before this server started. */
    static RunClock stopped(double pace, long elapsedMs) {
        return new RunClock(pace, elapsedMs * 1_000_000L, -1, 0);
    }

    double pace() {
        return pace;
    }

    /** Starts the clocks that give elapsed time, rate and pacing, counting from {@code trained} iterations. */
    void start(long trained) {
        long now = System.nanoTime();
        if (activeSince < 0) {
            activeSince = now;
            rateNanos = now;
            rateIteration = trained;
            paceNanos = now;
            paceIteration = trained;
        }
    }

    /** Stops the clocks: elapsed time stops growing and the rate is 0 until {@link #start}. */
    void stop() {
        long now = System.nanoTime();
        if (activeSince >= 0) {
            activeNanos += now - activeSince;
            activeSince = -1;
            itPerSec = 0;
        }
    }

    long elapsedMs() {
        long active = activeNanos + (activeSince >= 0 ? System.nanoTime() - activeSince : 0);
        return active / 1_000_000;
    }

    /** Re-measures the training rate over the last half second or more. */
    void measureRate(long trained) {
        long now = System.nanoTime();
        if (activeSince >= 0 && now - rateNanos >= 500_000_000L) {
            itPerSec = (trained - rateIteration) * 1e9 / (now - rateNanos);
            rateNanos = now;
            rateIteration = trained;
        }
    }

    double itPerSec() {
        return itPerSec;
    }

    /**
     * Iterations due now under the pace (at least 0), and nanoseconds until the next one is due. A run that fell
     * more than {@link #PACE_MAX_LAG_SECONDS} behind (a loaded machine, a long pause of the JVM) picks up the
     * pace from now rather than catching up in a burst, which a class watching it would see as a jump.
     */
    long paceDue(long trained) {
        long now = System.nanoTime();
        long due = paceIteration + (long) ((now - paceNanos) * pace / 1e9) + 1 - trained;
        long mostDue = Math.max(1, (long) (pace * PACE_MAX_LAG_SECONDS));
        if (due > mostDue) {
            // The schedule moves on to where exactly mostDue iterations are due now.
            paceNanos = now;
            paceIteration = trained + mostDue - 1;
            return mostDue;
        }
        return Math.max(0, due);
    }

    long nanosUntilDue(long trained) {
        long next = trained - paceIteration;
        long at = paceNanos + (long) (next * 1e9 / pace);
        return Math.max(0, at - System.nanoTime());
    }
}
