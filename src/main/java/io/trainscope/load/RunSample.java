package io.trainscope.load;

/**
 * A run as {@code GET /api/runs/{id}} showed it at one moment. {@code iteration} and {@code elapsedMs} come from one
 * snapshot of the server, so two samples give the training rate between them whatever the answers' delays.
 */
record RunSample(String status, long iteration, long elapsedMs, double itPerSec) {

    boolean live() {
        return "running".equals(status) || "paused".equals(status);
    }

    /** Iterations a second of training time from {@code earlier} to this one; NaN when no time passed. */
    double rateSince(RunSample earlier) {
        long ms = elapsedMs - earlier.elapsedMs;
        return ms <= 0 ? Double.NaN : (iteration - earlier.iteration) * 1000.0 / ms;
    }
}
