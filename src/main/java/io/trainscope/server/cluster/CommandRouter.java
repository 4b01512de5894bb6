package io.trainscope.server.cluster;

import io.trainscope.server.bus.Addresses;
import io.trainscope.server.bus.CommandReply;
import io.trainscope.server.bus.RunCommand;
import io.trainscope.server.bus.RunsView;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * Takes every command of this node's web side ({@link Addresses#COMMANDS}) to the node it is for: a run's command to
 * the node that trains it, a start to the node {@link Placement} chooses. Access was checked where the command came
 * in (docs/security.md); between nodes, the cluster's membership and its certificate are the check.
 */
final class CommandRouter {

    private final EventBus bus;
    private final RunsView local;
    private final RemoteRuns remote;
    private final Placement placement;

    CommandRouter(EventBus bus, RunsView local, RemoteRuns remote, Placement placement) {
        this.bus = bus;
        this.local = local;
        this.remote = remote;
        this.placement = placement;
    }

    void start() {
        bus.<RunCommand>localConsumer(Addresses.COMMANDS, this::route);
    }

    private void route(Message<RunCommand> message) {
        RunCommand command = message.body();
        String target;
        if (command.kind() == RunCommand.Kind.START) {
            target = placement.choose();
        } else if (local.find(command.runId()) != null || remote == null) {
            target = null;
        } else {
            target = remote.owner(command.runId());
        }
        (target == null ? locally(command) : remotely(target, command)).onComplete(reply -> message.reply(
                reply.succeeded() ? reply.result() : CommandReply.refused(503, command.kind().wire() + " could not reach "
                        + (command.runId() == null ? "the training node" : "the node training run " + command.runId())
                        + ": " + reply.cause().getMessage())));
    }

    /** This node's own training verticle. */
    Future<CommandReply> locally(RunCommand command) {
        return bus.<CommandReply>request(ClusterAddresses.LOCAL_COMMANDS, command).map(Message::body);
    }

    private Future<CommandReply> remotely(String node, RunCommand command) {
        return bus.<JsonObject>request(ClusterAddresses.node(node), ClusterWire.command(command),
                new DeliveryOptions().setSendTimeout(RemoteRuns.REQUEST_TIMEOUT_MS))
                .map(reply -> ClusterWire.reply(reply.body()));
    }
}
