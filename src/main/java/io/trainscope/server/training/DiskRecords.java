package io.trainscope.server.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.trainscope.history.History;
import io.trainscope.point.Points;
import io.trainscope.run.RunStatus;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.spec.SpecLimits;
import io.trainscope.spec.SpecParser;
import io.trainscope.store.Checkpoint;
import io.trainscope.store.RateChange;
import io.trainscope.store.RunInfo;
import io.trainscope.store.RunStore;
import io.trainscope.store.StoreOptions;
import io.trainscope.store.StoredHistory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs kept under {@code --data-dir} by a {@link RunStore} (docs/storage.md): each new run's points go to a
 * {@link StoredHistory}, every status change to its {@code run.json}, its final parameters to
 * {@code parameters.json}. At start-up every stored run is put back in the registry, its log opened only when
 * its points are first read, so that hundreds of past runs cost a directory listing, not hundreds of files read,
 * and kept open only while among the most recently read ({@link io.trainscope.store.StoreOptions#maxOpenEndedRuns()}).
 */
public final class DiskRecords implements RunRecords {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    static final String PARAMETERS = "parameters.json";

    private final RunStore store;
    private final SpecLimits limits;
    private final Path dataDir;

    private DiskRecords(RunStore store, SpecLimits limits, Path dataDir) {
        this.store = store;
        this.limits = limits;
        this.dataDir = dataDir;
    }

    /** Opens the store (recovering what a crash left: runs that were training become interrupted). */
    public static DiskRecords open(Path dataDir, SpecLimits limits, boolean privateFiles) throws IOException {
        try {
            return new DiskRecords(RunStore.open(dataDir, StoreOptions.defaults().withPrivateFiles(privateFiles)), limits,
                    dataDir.toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new IOException("cannot open the data directory " + dataDir + " (--data-dir): " + e, e);
        }
    }

    /** Puts every stored run in {@code registry}, oldest first, as an ended run with a lazily opened history. */
    public void restoreInto(RunRegistry registry) throws IOException {
        List<RunInfo> newestFirst = store.list();
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            RunInfo info = newestFirst.get(i);
            registry.restore(snapshot(info), new LazyHistory(store, info));
        }
    }

    private RunSnapshot snapshot(RunInfo info) throws IOException {
        JsonNode spec;
        try {
            spec = SpecParser.readTree(store.spec(info.id()));
        } catch (Exception e) {
            spec = JsonNodeFactory.instance.objectNode();
        }
        // A queued run, or one stopped while queued, never started: 0, which the run object leaves out.
        long started = info.startedAt() != null ? info.startedAt() : 0;
        long ended = info.endedAt() != null ? info.endedAt() : 0;
        // A run.json says running only if the store could not recover it; it cannot go on training now.
        RunStatus status = info.status().live() ? RunStatus.INTERRUPTED : info.status();
        // Training time, pauses excluded; a run.json written before it was kept has only its wall-clock span.
        long elapsed = info.elapsedMs() != null ? info.elapsedMs() : started > 0 && ended > started ? ended - started : 0;
        return new RunSnapshot(info.id(), status, info.reason(), info.iterations(),
                spec.path("iterations").asLong(info.iterations()), spec, describe(spec), info.depth(), started, ended,
                elapsed, 0, spec.path(Pace.FIELD).asDouble(0),
                orNaN(info.finalCost()), info.name(),
                Files.isRegularFile(store.folder(info.id()).resolve(PARAMETERS)),
                RateChange.current(info.changes(), spec.path("learningRate").asDouble(Double.NaN)), info.changes(), null,
                new Points(Math.max(1, info.depth()), 0), info.createdAt(),
                new RunSnapshot.Results(orNaN(info.bestCost()), orNaN(info.finalAccuracy()),
                        orNaN(info.finalValidationCost()), orNaN(info.finalValidationAccuracy())),
                info.checkpoint(), info.sweep());
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    /** The engine's one-line summary; a spec it no longer accepts (inline data kept as a summary) is shown by its layers. */
    private String describe(JsonNode spec) {
        try {
            JsonNode given = spec.deepCopy();
            if (given instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
                object.remove(Pace.FIELD);
                object.remove(StartFrom.FIELD);
            }
            return SpecParser.parse(given, limits, null).describe();
        } catch (Exception e) {
            return spec.path("layers").toString().replace(" ", "") + " " + spec.path("dataset").path("name").asText("data");
        }
    }

    @Override
    public History create(String id, JsonNode spec, int depth, String queuedSpec, JsonNode sweep) throws IOException {
        String name = spec.path("name").isTextual() ? spec.path("name").asText() : null;
        return new StoredHistory(store.create(id, name, JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(spec), depth, queuedSpec, sweep));
    }

    @Override
    public void started(String id) throws IOException {
        store.start(id);
    }

    @Override
    public String queuedSpec(String id) throws IOException {
        return store.queuedSpec(id);
    }

    @Override
    public History reopen(String id) throws IOException {
        return new StoredHistory(store.log(id));
    }

    @Override
    public void status(String id, RunStatus status, String reason, long elapsedMs) throws IOException {
        store.setStatus(id, status, reason, elapsedMs);
    }

    @Override
    public boolean keepsCheckpoints() {
        return true;
    }

    @Override
    public void checkpoint(String id, Checkpoint checkpoint, RunStore.ParametersContent parameters, long elapsedMs)
            throws IOException {
        store.writeCheckpoint(id, checkpoint, parameters);
        store.progress(id, elapsedMs);
    }

    @Override
    public void dropCheckpoint(String id) throws IOException {
        store.dropCheckpoint(id);
    }

    /** The final parameters when there are, else the checkpoint's; read whole (bounded by the spec limits). */
    @Override
    public Kept kept(RunSnapshot source) throws IOException {
        Path folder = store.folder(source.id());
        Path finalFile = folder.resolve(PARAMETERS);
        if (Files.isRegularFile(finalFile)) {
            JsonNode parameters = JSON.readTree(finalFile.toFile());
            return new Kept(parameters, new Checkpoint(source.iteration(), source.learningRate(),
                    Files.getLastModifiedTime(finalFile).toMillis()), true);
        }
        Path file = store.checkpointFile(source.id());
        if (file == null) {
            return null;
        }
        JsonNode kept = JSON.readTree(file.toFile());
        JsonNode parameters = kept.get("parameters");
        if (parameters == null || !kept.path("iteration").canConvertToLong()) {
            throw new IOException("the kept parameters of run " + source.id() + " cannot be read");
        }
        return new Kept(parameters, new Checkpoint(kept.get("iteration").asLong(),
                kept.path("learningRate").asDouble(source.learningRate()), kept.path("keptAt").asLong()), false);
    }

    /** Written as the store writes its own files: a crash leaves the whole file or none. */
    @Override
    public boolean saveParameters(String id, ParametersWriter parameters) throws IOException {
        store.writeFile(id, PARAMETERS, parameters::write);
        return true;
    }

    /** The message with the data directory's absolute path replaced by {@code --data-dir}. */
    @Override
    public String describe(Throwable failure) {
        Throwable shown = failure instanceof UncheckedIOException && failure.getCause() != null ? failure.getCause() : failure;
        String message;
        if (shown instanceof java.nio.file.FileSystemException fs) {
            String what = shown instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : shown instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : fs.getReason() != null ? fs.getReason() : shown.getClass().getSimpleName();
            message = what + (fs.getFile() != null ? ": " + fs.getFile() : "");
        } else {
            message = String.valueOf(shown.getMessage());
        }
        return message.replace(dataDir.toString(), "--data-dir");
    }

    @Override
    public Path parameters(String id) {
        try {
            Path file = store.folder(id).resolve(PARAMETERS);
            return Files.isRegularFile(file) ? file : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void rename(String id, String name) throws IOException {
        store.rename(id, name);
    }

    @Override
    public void changes(String id, List<RateChange> changes) throws IOException {
        store.changes(id, changes);
    }

    @Override
    public void delete(String id) throws IOException {
        store.delete(id);
    }

    @Override
    public void close() throws IOException {
        store.close();
    }

    /**
     * A past run's points, its log opened on first read (about 0.3 s and 1.5 MB for a long run: see
     * docs/storage.md). Until then its size and depth come from {@code run.json}. The history kept after that
     * holds only the log's handle: the store closes the file and drops the summary of all but the 64 most
     * recently read ended runs, and reopens them on their next read.
     */
    private static final class LazyHistory implements History {

        private final RunStore store;
        private final String id;
        private final int depth;
        private final long size;
        private volatile StoredHistory opened;

        LazyHistory(RunStore store, RunInfo info) {
            this.store = store;
            this.id = info.id();
            this.depth = info.depth();
            this.size = info.iterations();
        }

        @Override
        public int depth() {
            return depth;
        }

        @Override
        public long size() {
            StoredHistory history = opened;
            return history != null ? history.size() : size;
        }

        @Override
        public void append(Points batch) {
            throw new IllegalStateException("run " + id + " has ended; it takes no more points");
        }

        @Override
        public Points read(long from, long to) {
            return open().read(from, to);
        }

        @Override
        public Points downsampled(long from, long to, int maxPoints) {
            return open().downsampled(from, to, maxPoints);
        }

        /** Its final cost comes with its record (run.json): not read from its points. */
        @Override
        public double lastCost() {
            StoredHistory history = opened;
            return history != null ? history.lastCost() : Double.NaN;
        }

        private StoredHistory open() {
            StoredHistory history = opened;
            if (history == null) {
                synchronized (this) {
                    if (opened == null) {
                        try {
                            opened = new StoredHistory(store.log(id));
                        } catch (IOException e) {
                            throw new UncheckedIOException("run " + id + " cannot be read: " + e.getMessage(), e);
                        }
                    }
                    history = opened;
                }
            }
            return history;
        }
    }
}
