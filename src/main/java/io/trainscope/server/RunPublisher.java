package io.trainscope.server;

import io.trainscope.point.Points;
import io.vertx.core.eventbus.EventBus;

/**
 * Everything the training verticle tells the HTTP verticle about its runs: their states, their new points and
 * their deletion, published on the {@link Addresses}. On the training verticle's context only.
 */
final class RunPublisher {

    private final EventBus bus;
    private final int maxLivePoints;

    RunPublisher(EventBus bus, int maxLivePoints) {
        this.bus = bus;
        this.maxLivePoints = maxLivePoints;
    }

    /** Publishes the run's points not yet pushed, as one update, downsampled when there are too many. */
    void flush(Run run) {
        long from = run.pushedTo;
        long to = run.history().size();
        if (to <= from) {
            return;
        }
        Points points = run.history().downsampled(from, to, maxLivePoints);
        run.pushedTo = to;
        run.pushed(points);
        run.refresh();
        bus.publish(Addresses.METRICS, new MetricsUpdate(run.id(), from, to, points,
                run.history().needsDownsampling(from, to, maxLivePoints), run.clock().itPerSec(), run.clock().elapsedMs()));
    }

    RunSnapshot publishState(Run run) {
        RunSnapshot snapshot = run.refresh();
        bus.publish(Addresses.STATE, snapshot);
        return snapshot;
    }

    void publishDeleted(Run run) {
        bus.publish(Addresses.DELETED, run.id());
    }
}
