package io.trainscope.server;

import java.util.Locale;

/** A run's status, as the wire names it (CONTRACT.md, "WebSocket"). */
public enum RunStatus {
    RUNNING, PAUSED, STOPPED, FINISHED, FAILED,
    /** Was training when the server died; set when runs are read back from disk. */
    INTERRUPTED;

    /** Running or paused: holds a training slot and can still change. */
    public boolean live() {
        return this == RUNNING || this == PAUSED;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
