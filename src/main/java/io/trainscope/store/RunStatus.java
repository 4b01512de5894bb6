package io.trainscope.store;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** A run's status as CONTRACT.md names it on the wire (lower case). */
public enum RunStatus {
    RUNNING, PAUSED, STOPPED, FINISHED, FAILED, INTERRUPTED;

    /** True while the run may still produce points: what a crash turns into {@link #INTERRUPTED}. */
    public boolean live() {
        return this == RUNNING || this == PAUSED;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RunStatus parse(String wireName) {
        for (RunStatus s : values()) {
            if (s.wireName().equals(wireName)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown run status '" + wireName + "'");
    }
}
