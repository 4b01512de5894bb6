package io.trainscope.run;

import java.util.Locale;

/** A run's status, as CONTRACT.md names it on the wire and in run.json (lower case). */
public enum RunStatus {
    RUNNING, PAUSED, STOPPED, FINISHED, FAILED,
    /** Was training when its server or process died; set when runs are read back. */
    INTERRUPTED,
    /**
     * Waiting for a training slot ({@code --max-running}): it has not trained, holds no slot, and starts, in the
     * order it came, when one frees; it stays queued across a restart of its server. An extension of the contract's
     * statuses.
     */
    QUEUED;

    /** Running or paused: holds a training slot, may still produce points; what a crash turns into {@link #INTERRUPTED}. */
    public boolean live() {
        return this == RUNNING || this == PAUSED;
    }

    /** Stopped, finished, failed or interrupted: it will never train again. */
    public boolean ended() {
        return !live() && this != QUEUED;
    }

    /** {@code running}, {@code paused}, … */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status a wire name names. */
    public static RunStatus parse(String wire) {
        for (RunStatus s : values()) {
            if (s.wire().equals(wire)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown run status '" + wire + "'");
    }
}
