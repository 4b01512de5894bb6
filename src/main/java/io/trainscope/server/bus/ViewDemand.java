package io.trainscope.server.bus;

import java.util.Set;

/**
 * The views some viewer of this web side wants of a run, sent on {@link Addresses#DEMAND} whenever that set
 * changes (never per viewer, never per snapshot): the training side computes those views, and only those.
 */
public record ViewDemand(String runId, Set<View> views) {

    public ViewDemand {
        views = Set.copyOf(views);
    }
}
