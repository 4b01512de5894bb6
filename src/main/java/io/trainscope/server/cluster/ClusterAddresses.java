package io.trainscope.server.cluster;

/**
 * The event-bus addresses that cross between nodes (docs/cluster.md, "What crosses the wire"). Every body is a
 * {@link ClusterWire} message: JSON for states, commands and heartbeats, a binary block for points. The local
 * addresses of {@link io.trainscope.server.bus.Addresses} never leave their process.
 */
public final class ClusterAddresses {

    /** Publish: a run's state (JSON), whenever it changes on the node that trains it. */
    public static final String STATE = "trainscope.cluster.state";

    /** Publish: a run's new points (binary), at the push rate; once to each node, whatever its viewers. */
    public static final String POINTS = "trainscope.cluster.points";

    /** Publish: a run deleted on its node (JSON). */
    public static final String DELETED = "trainscope.cluster.deleted";

    /** Publish: each node's heartbeat (JSON), every second: its runs and free training slots. */
    public static final String NODES = "trainscope.cluster.nodes";

    /** Local: where a clustered node's training verticle takes its commands, behind the {@link CommandRouter}. */
    public static final String LOCAL_COMMANDS = "trainscope.runs.commands.training";

    /** Local: where a clustered node's training verticle takes the views wanted of its runs, from {@link ClusterViews}. */
    public static final String LOCAL_DEMAND = "trainscope.runs.views.demand.training";

    private static final String NODE = "trainscope.cluster.node.";
    private static final String VIEWS = "trainscope.cluster.views.";

    private ClusterAddresses() {
    }

    /** Request/reply to one node: a list of its runs, a range of a run's points, or a command for a run it trains. */
    public static String node(String nodeId) {
        return NODE + nodeId;
    }

    /** Send, to one node: a snapshot of a view (binary, {@link ViewWire}) of a run of another node that it wants. */
    public static String views(String nodeId) {
        return VIEWS + nodeId;
    }
}
