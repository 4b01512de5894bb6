package io.trainscope.run;

import java.util.Locale;

/** A run's status, as CONTRACT.md names it on the wire and in run.json (lower case). */
public enum RunStatus {
    RUNNING, PAUSED, STOPPED, FINISHED, FAILED,
    /** Was training when its server or process died; set when runs are read back. */
    INTERRUPTED;

    /** Running or paused: holds a training slot, may still produce points; what a crash turns into {@link #INTERRUPTED}. */
    public boolean live() {
        return this == RUNNING || this == PAUSED;
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
