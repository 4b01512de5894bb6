package io.trainscope.server.bus;

import java.nio.file.Path;
import java.util.List;

/**
 * What the web side may know of the training side's runs besides the messages on {@link Addresses}: read-only
 * views, to serve snapshots at once and histories and exports a block at a time (millions of points belong in a
 * streamed response, not in an event-bus message). Nothing here changes a run: every change is a
 * {@link RunCommand}. Thread-safe.
 */
public interface RunsView {

    /** The run with this id, or null. */
    RunView find(String id);

    /** Every run, oldest first. */
    List<RunView> list();

    /** The most recently started run, or null. */
    RunView latest();

    /** The file holding a run's final parameters, or null when there is none. */
    Path parameters(String id);

    /**
     * As {@link #parameters}, once the file is here: on a cluster's dashboard node the parameters of a run trained on
     * another node are fetched from it first (docs/cluster.md). Never blocks.
     */
    default io.vertx.core.Future<Path> parametersFile(String id) {
        return io.vertx.core.Future.succeededFuture(parameters(id));
    }
}
