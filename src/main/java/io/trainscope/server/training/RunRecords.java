package io.trainscope.server.training;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainscope.history.History;
import io.trainscope.run.RunStatus;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.store.Checkpoint;
import io.trainscope.store.RateChange;
import io.trainscope.store.RunStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the training verticle keeps its runs: their points, every status change, names and final parameters.
 * {@link DiskRecords} keeps them under {@code --data-dir} (docs/storage.md); {@link #memory} keeps only
 * points, on the heap, for tests. Every method may block on file I/O: the training verticle is a worker.
 */
public interface RunRecords {

    /** A new run, live from now: where its points go. */
    default History create(String id, JsonNode spec, int depth) throws IOException {
        return create(id, spec, depth, null, null);
    }

    /**
     * A new run, live from now, or queued when {@code queuedSpec} (its spec as given, to start it from, even after a
     * restart) is not null: where its points go. {@code sweep} is its sweep label, or null.
     */
    History create(String id, JsonNode spec, int depth, String queuedSpec, JsonNode sweep) throws IOException;

    /** A queued run leaves the queue to train. */
    void started(String id) throws IOException;

    /** A queued run's spec as it was given, read back after a restart. */
    String queuedSpec(String id) throws IOException;

    /** Where the points of a run read back from storage go, now that it is to train (it was queued). */
    History reopen(String id) throws IOException;

    /**
     * Every status change, with the run's training time so far (pauses excluded). A status that is not live is set
     * only after the run's last point was appended.
     */
    void status(String id, RunStatus status, String reason, long elapsedMs) throws IOException;

    /** Whether {@link #checkpoint} keeps anything: a live run's parameters are copied for it only then. */
    boolean keepsCheckpoints();

    /**
     * Keeps a live run's parameters ({@code initialParameters} format), replacing the ones kept before, with the
     * run's progress so far; blocking, and long for a large network: never on the training verticle's context.
     */
    void checkpoint(String id, Checkpoint checkpoint, RunStore.ParametersContent parameters, long elapsedMs)
            throws IOException;

    /** Lets a run's kept parameters go: its final ones supersede them. */
    void dropCheckpoint(String id) throws IOException;

    /**
     * Parameters a run keeps for a new run to start from ({@code initialParameters} format), with the iteration and
     * learning rate they belong to: its final ones (when {@code source} says it has them) or else the last kept while it
     * trained. Null when there are none; may read a large file.
     */
    Kept kept(RunSnapshot source) throws IOException;

    /** A run's parameters as kept: {@code at} names their iteration and rate, {@code ended} whether they are final. */
    record Kept(JsonNode parameters, Checkpoint at, boolean ended) {
    }

    /** Writes a run's parameters to a stream. */
    @FunctionalInterface
    interface ParametersWriter {
        void write(java.io.OutputStream out) throws IOException;
    }

    /** Keeps a run's final parameters ({@code initialParameters} format); false when nothing keeps them. */
    boolean saveParameters(String id, ParametersWriter parameters) throws IOException;

    /**
     * What went wrong, for a remote user: without the data directory's absolute path, which tells a remote user
     * more about the machine than they need.
     */
    String describe(Throwable failure);

    /** The file holding a run's final parameters, or null when there is none. */
    Path parameters(String id);

    void rename(String id, String name) throws IOException;

    /** Every live change of a run's learning rate so far, replacing the list kept before. */
    void changes(String id, List<RateChange> changes) throws IOException;

    /** Removes an ended run and its points for good. */
    void delete(String id) throws IOException;

    /** Writes whatever is pending; after the training verticle has stopped. */
    void close() throws IOException;

    /** Points on the heap from {@code histories}, nothing else kept: gone when the process ends. */
    static RunRecords memory(HistoryFactory histories) {
        return new RunRecords() {
            @Override
            public History create(String id, JsonNode spec, int depth, String queuedSpec, JsonNode sweep) {
                return histories.create(id, depth);
            }

            @Override
            public void started(String id) {
            }

            @Override
            public String queuedSpec(String id) throws IOException {
                throw new IOException("runs kept in memory are not read back");
            }

            @Override
            public History reopen(String id) throws IOException {
                throw new IOException("runs kept in memory are not read back");
            }

            @Override
            public void status(String id, RunStatus status, String reason, long elapsedMs) {
            }

            @Override
            public boolean keepsCheckpoints() {
                return false;
            }

            @Override
            public void checkpoint(String id, Checkpoint checkpoint, RunStore.ParametersContent parameters, long elapsedMs) {
            }

            @Override
            public void dropCheckpoint(String id) {
            }

            @Override
            public Kept kept(RunSnapshot source) {
                return null;
            }

            @Override
            public boolean saveParameters(String id, ParametersWriter parameters) {
                return false;
            }

            @Override
            public String describe(Throwable failure) {
                return String.valueOf(failure.getMessage());
            }

            @Override
            public Path parameters(String id) {
                return null;
            }

            @Override
            public void rename(String id, String name) {
            }

            @Override
            public void changes(String id, List<RateChange> changes) {
            }

            @Override
            public void delete(String id) {
            }

            @Override
            public void close() {
            }
        };
    }
}
