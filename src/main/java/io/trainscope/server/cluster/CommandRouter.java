package io.trainscope.server.cluster;

import io.trainscope.server.bus.Addresses;
import io.trainscope.server.bus.CommandReply;
import io.trainscope.server.bus.RunCommand;
import io.trainscope.server.bus.RunsView;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * Takes every command of this node's web side ({@link Addresses#COMMANDS}) to the node it is for: a run's command to
 * the node that trains it, a start to the node {@link Placement} chooses. Access was checked where the command came
 * in (docs/security.md); between nodes, the cluster's membership and its certificate are the check.
 */
final class CommandRouter {

    /**
     * How long a command for a node that has no handler registered yet is tried again, every {@link #RETRY_MS}: a node
     * back from a partition re-registers its addresses with the cluster a moment after its points flow again, and a
     * pause sent in between was refused with "No handlers" (ClusterProcessesTest).
     */
    static final long NO_HANDLER_GRACE_MS = 5_000;
    static final long RETRY_MS = 250;

    private final Vertx vertx;
    private final EventBus bus;
    private final RunsView local;
    private final RemoteRuns remote;
    private final Placement placement;

    CommandRouter(Vertx vertx, EventBus bus, RunsView local, RemoteRuns remote, Placement placement) {
        this.vertx = vertx;
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
        return remotely(node, command, System.nanoTime() + NO_HANDLER_GRACE_MS * 1_000_000);
    }

    private Future<CommandReply> remotely(String node, RunCommand command, long giveUpAt) {
        return bus.<JsonObject>request(ClusterAddresses.node(node), ClusterWire.command(command),
                        new DeliveryOptions().setSendTimeout(RemoteRuns.REQUEST_TIMEOUT_MS))
                .map(reply -> ClusterWire.reply(reply.body()))
                .recover(failed -> {
                    boolean unregistered = failed instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS;
                    if (!unregistered || System.nanoTime() - giveUpAt >= 0) {
                        return Future.failedFuture(failed);
                    }
                    Promise<CommandReply> again = Promise.promise();
                    vertx.setTimer(RETRY_MS, id -> remotely(node, command, giveUpAt).onComplete(again));
                    return again.future();
                });
    }
}
