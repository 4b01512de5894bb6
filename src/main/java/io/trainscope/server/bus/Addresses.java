package io.trainscope.server.bus;

/**
 * Every event-bus address of the server, in one place. The HTTP verticle sends {@link RunCommand}s to the
 * training verticle and listens to what it publishes; nothing else crosses between them.
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

    private Addresses() {
    }
}
