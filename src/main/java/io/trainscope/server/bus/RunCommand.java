package io.trainscope.server.bus;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * What a viewer or REST client asks of the training verticle. {@code runs} is set for START only: one run, or the
 * runs of a sweep, all started or queued at once or none; {@code name} for RENAME only (null or blank clears the
 * name), {@code learningRate} for SET only.
 */
public record RunCommand(Kind kind, String runId, List<NewRun> runs, String name, double learningRate) {

    public RunCommand {
        runs = runs == null ? List.of() : List.copyOf(runs);
    }

    public enum Kind {
        START, STOP, PAUSE, RESUME, STEP, RENAME, DELETE, SET;

        /** The wire name: {@code start}, {@code stop}, … */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static RunCommand start(ObjectNode spec) {
        return start(List.of(NewRun.single(spec)));
    }

    /** Several runs at once: each is checked before any starts, and all start (or queue) or none does. */
    public static RunCommand start(List<NewRun> runs) {
        return new RunCommand(Kind.START, null, runs, null, Double.NaN);
    }

    public static RunCommand control(Kind kind, String runId) {
        return new RunCommand(kind, runId, null, null, Double.NaN);
    }

    public static RunCommand rename(String runId, String name) {
        return new RunCommand(Kind.RENAME, runId, null, name, Double.NaN);
    }

    /** A live run's learning rate, from its next iteration on. */
    public static RunCommand set(String runId, double learningRate) {
        return new RunCommand(Kind.SET, runId, null, null, learningRate);
    }
}
