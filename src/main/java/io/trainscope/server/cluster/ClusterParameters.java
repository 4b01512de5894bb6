package io.trainscope.server.cluster;

import io.trainscope.server.bus.RunsView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.file.FileSystem;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/**
 * A run's final parameters across nodes: a dashboard asks the run's node for them ({@code parameters}, wire version
 * 3), which reads its file (at most {@link #MAX_BYTES}) and answers with its bytes; the dashboard writes them into
 * its cache folder and serves them from there, later asks included (a run's final parameters never change). Every
 * file operation goes through Vert.x's file system, on its worker pool: nothing here reads or writes on an event
 * loop.
 */
final class ClusterParameters {

    /** The largest parameters file that crosses nodes: [784, 256, 128, 1] is about 5 MB of JSON. */
    static final long MAX_BYTES = 64L << 20;
    /** Reading a large file and sending it over a loaded machine. */
    static final long TIMEOUT_MS = 30_000;

    private final Vertx vertx;
    private final RunsView local;
    private final RemoteRuns remote;
    private final Path folder;

    /** {@code folder}: where fetched parameters are kept, created on first use. */
    ClusterParameters(Vertx vertx, RunsView local, RemoteRuns remote, Path folder) {
        this.vertx = vertx;
        this.local = local;
        this.remote = remote;
        this.folder = folder;
    }

    /** Another node asks for the final parameters of a run trained here. */
    void onRequest(Message<JsonObject> message) {
        String runId = message.body().getString("runId");
        Path file = runId == null || local.find(runId) == null ? null : local.parameters(runId);
        if (file == null) {
            message.fail(404, "run " + runId + " has no final parameters on its node");
            return;
        }
        FileSystem files = vertx.fileSystem();
        files.props(file.toString()).compose(props -> props.size() > MAX_BYTES
                ? Future.failedFuture("the final parameters of run " + runId + " are " + props.size() + " bytes, more than "
                        + MAX_BYTES + " cross between nodes: get them on the node that trained it")
                : files.readFile(file.toString())).onComplete(read -> {
                    if (read.succeeded()) {
                        message.reply(read.result());
                    } else {
                        message.fail(413, read.cause().getMessage());
                    }
                });
    }

    /** The final parameters of another node's run, as a file here: fetched once, then served from this node. */
    Future<Path> fetch(String runId) {
        String owner = remote.owner(runId);
        if (owner == null) {
            return Future.succeededFuture(null);
        }
        if (!runId.matches("[A-Za-z0-9_.-]{1,128}")) {
            return Future.failedFuture("run id " + runId + " cannot name a file");
        }
        Path file = folder.resolve(runId + ".json");
        FileSystem files = vertx.fileSystem();
        return files.exists(file.toString()).compose(here -> here ? Future.succeededFuture(file)
                : vertx.eventBus().<Buffer>request(ClusterAddresses.node(owner), ClusterWire.message("parameters")
                                .put("runId", runId), new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
                        .compose(reply -> {
                            Buffer body = reply.body();
                            if (body.length() > MAX_BYTES) {
                                return Future.failedFuture("run " + runId + "'s node sent " + body.length() + " bytes");
                            }
                            // Written beside and moved into place: a reader never sees half a file.
                            String partial = file + ".partial";
                            return files.mkdirs(folder.toString()).compose(v -> files.writeFile(partial, body))
                                    .compose(v -> files.move(partial, file.toString(),
                                            new io.vertx.core.file.CopyOptions().setReplaceExisting(true)))
                                    .map(file);
                        }));
    }
}
