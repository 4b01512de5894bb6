package io.trainscope.server;

import io.trainscope.point.Points;

/**
 * A live run's new points since the previous update: iterations {@code [from, to)}, all of them or, when
 * there were more than viewers need, a {@code downsampled} selection that keeps the first and last.
 * {@code points} is not changed after publication.
 */
public record MetricsUpdate(String runId, long from, long to, Points points, boolean downsampled,
                            double itPerSec, long elapsedMs) {
}
