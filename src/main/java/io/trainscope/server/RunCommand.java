package io.trainscope.server;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a viewer or REST client asks of the training verticle. {@code spec} is set for START only,
 * {@code name} for RENAME only (null or blank clears the name).
 */
public record RunCommand(Kind kind, String runId, ObjectNode spec, String name) {

    public enum Kind {
        START, STOP, PAUSE, RESUME, STEP, RENAME, DELETE;

        /** The wire name: {@code start}, {@code stop}, … */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public RunCommand(Kind kind, String runId, ObjectNode spec) {
        this(kind, runId, spec, null);
    }

    public static RunCommand start(ObjectNode spec) {
        return new RunCommand(Kind.START, null, spec);
    }

    public static RunCommand control(Kind kind, String runId) {
        return new RunCommand(kind, runId, null);
    }

    public static RunCommand rename(String runId, String name) {
        return new RunCommand(Kind.RENAME, runId, null, name);
    }
}
