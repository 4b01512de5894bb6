package io.trainscope.server.bus;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a viewer or REST client asks of the training verticle. {@code spec} is set for START only,
 * {@code name} for RENAME only (null or blank clears the name), {@code learningRate} for SET only.
 */
public record RunCommand(Kind kind, String runId, ObjectNode spec, String name, double learningRate) {

    public enum Kind {
        START, STOP, PAUSE, RESUME, STEP, RENAME, DELETE, SET,
        /** Backprop against finite differences on a copy of a live run's parameters; answered with its report. */
        GRADIENT_CHECK;

        /** The wire name: {@code start}, {@code stop}, …, {@code gradientCheck}. */
        public String wire() {
            return this == GRADIENT_CHECK ? "gradientCheck" : name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public RunCommand(Kind kind, String runId, ObjectNode spec) {
        this(kind, runId, spec, null, Double.NaN);
    }

    public static RunCommand start(ObjectNode spec) {
        return new RunCommand(Kind.START, null, spec);
    }

    public static RunCommand control(Kind kind, String runId) {
        return new RunCommand(kind, runId, null);
    }

    public static RunCommand rename(String runId, String name) {
        return new RunCommand(Kind.RENAME, runId, null, name, Double.NaN);
    }

    /** A live run's learning rate, from its next iteration on. */
    public static RunCommand set(String runId, double learningRate) {
        return new RunCommand(Kind.SET, runId, null, null, learningRate);
    }
}
