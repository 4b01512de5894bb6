package io.trainscope.server.bus;

import io.trainscope.point.Points;

import java.util.List;

/**
 * A live run's new points since the previous update: iterations {@code [from, to)}, all of them or, when
 * there were more than viewers need, a {@code downsampled} selection that keeps the first and last.
 * {@code points} is not changed after publication.
 */
public record MetricsUpdate(String runId, long from, long to, Points points, boolean downsampled,
                            double itPerSec, long elapsedMs) {

    /**
     * Consecutive updates of one run (each starting where the one before ended) as one: all their points, from
     * the first's start to the last's end, downsampled if any was, at the last's rate.
     */
    public static MetricsUpdate joined(List<MetricsUpdate> updates) {
        MetricsUpdate first = updates.get(0);
        MetricsUpdate last = updates.get(updates.size() - 1);
        int count = 0;
        boolean downsampled = false;
        for (MetricsUpdate update : updates) {
            count += update.points().size();
            downsampled |= update.downsampled();
        }
        Points points = new Points(first.points().layout(), count);
        for (MetricsUpdate update : updates) {
            points.addAll(update.points(), 0, update.points().size());
        }
        return new MetricsUpdate(last.runId(), first.from(), last.to(), points, downsampled, last.itPerSec(),
                last.elapsedMs());
    }
}
