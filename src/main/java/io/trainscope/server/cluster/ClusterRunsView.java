package io.trainscope.server.cluster;

import io.trainscope.server.bus.RunView;
import io.trainscope.server.bus.RunsView;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What a dashboard node's web side sees: the runs it trains and those it keeps of other nodes, as one list. */
final class ClusterRunsView implements RunsView {

    private final RunsView local;
    private final RemoteRuns remote;
    private final java.util.function.Function<String, io.vertx.core.Future<Path>> fetch;

    /** {@code fetch}: another node's run's final parameters, fetched from it ({@link ClusterParameters}). */
    ClusterRunsView(RunsView local, RemoteRuns remote, java.util.function.Function<String, io.vertx.core.Future<Path>> fetch) {
        this.local = local;
        this.remote = remote;
        this.fetch = fetch;
    }

    @Override
    public RunView find(String id) {
        RunView run = local.find(id);
        return run != null ? run : remote.find(id);
    }

    @Override
    public List<RunView> list() {
        List<RunView> all = new ArrayList<>(local.list());
        all.addAll(remote.list());
        all.sort(Comparator.comparingLong(run -> run.snapshot().startedAt()));
        return all;
    }

    @Override
    public RunView latest() {
        List<RunView> all = list();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** Only this node's runs' parameter files are here; another node's are on that node ({@link #parametersFile}). */
    @Override
    public Path parameters(String id) {
        return local.parameters(id);
    }

    @Override
    public io.vertx.core.Future<Path> parametersFile(String id) {
        return local.find(id) != null || remote.find(id) == null ? local.parametersFile(id) : fetch.apply(id);
    }
}
