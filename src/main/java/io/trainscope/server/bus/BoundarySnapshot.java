package io.trainscope.server.bus;

import io.trainscope.nn.Plane;

/**
 * A run's output on a {@code side × side} grid over {@code plane} after {@code iteration} iterations, row-major
 * from the lower left ({@link io.trainscope.nn.Boundary}).
 */
public record BoundarySnapshot(String runId, long iteration, Plane plane, int side, double[] values)
        implements ViewSnapshot {

    @Override
    public View view() {
        return View.BOUNDARY;
    }
}
