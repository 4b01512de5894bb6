package io.trainscope.server.bus;

import io.trainscope.nn.Dataset;
import io.trainscope.nn.Plane;

/**
 * The examples of a run of two inputs, to draw under its boundary: at most {@link #MAX_EXAMPLES} of each set,
 * spread evenly ({@link Dataset#spread}), over the boundary's {@code plane}. Made once, when the run starts.
 *
 * @param trainTotal      training examples the run has (more than {@code train} holds when it was bounded)
 * @param validation      held-out examples, or null when the run holds none out
 * @param validationTotal held-out examples the run has
 */
public record DataSnapshot(String runId, Plane plane, Dataset train, int trainTotal, Dataset validation,
                           int validationTotal) {

    /** Examples of each set sent at most: 2000 points draw in a few milliseconds and cost about 40 KB. */
    public static final int MAX_EXAMPLES = 2000;
}
