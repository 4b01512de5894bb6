package io.trainscope.server;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a viewer or REST client asks of the training verticle. {@code spec} is set for START only. */
public record RunCommand(Kind kind, String runId, ObjectNode spec) {

    public enum Kind {
        START, STOP, PAUSE, RESUME, STEP;

        /** The wire name: {@code start}, {@code stop}, … */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static RunCommand start(ObjectNode spec) {
        return new RunCommand(Kind.START, null, spec);
    }

    public static RunCommand control(Kind kind, String runId) {
        return new RunCommand(kind, runId, null);
    }
}
