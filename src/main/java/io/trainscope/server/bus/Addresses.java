package io.trainscope.server.bus;

/**
 * Every event-bus address of the server, in one place. The HTTP verticle sends {@link RunCommand}s and
 * {@link ViewDemand}s to the training verticle and listens to what it publishes; nothing else crosses between them.
 */
public final class Addresses {

    /** Request/reply: a {@link RunCommand}, answered with a {@link CommandReply}. */
    public static final String COMMANDS = "trainscope.runs.commands";

    /** Publish: a {@link RunSnapshot} whenever a run's status changes (and when it starts). */
    public static final String STATE = "trainscope.runs.state";

    /** Publish: a {@link MetricsUpdate}, each live run's new points, at most the push rate per second. */
    public static final String METRICS = "trainscope.runs.metrics";

    /** Publish: the id (a String) of a run that was deleted. */
    public static final String DELETED = "trainscope.runs.deleted";

    /**
     * Send, web to training: a {@link ViewDemand}, the views viewers want of one run, whenever that set changes.
     * The training side computes a run's views only while they are wanted.
     */
    public static final String DEMAND = "trainscope.runs.views.demand";

    /** Publish, training to web: a {@link ViewSnapshot} of a wanted view, at most the snapshot rate per view. */
    public static final String SNAPSHOTS = "trainscope.runs.views.snapshots";

    private Addresses() {
    }
}
