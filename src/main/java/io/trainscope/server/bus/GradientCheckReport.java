package io.trainscope.server.bus;

import io.trainscope.nn.GradientCheck;

/**
 * A run's gradient check: backprop against finite differences on its parameters as they were after
 * {@code iteration} iterations, checked on a copy ({@link GradientCheck}); {@code elapsedMs} is the time the check
 * took on its worker.
 */
public record GradientCheckReport(String runId, long iteration, GradientCheck.Result result, long elapsedMs) {
}
