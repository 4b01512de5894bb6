package io.trainscope.store;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainscope.point.Points;
import io.trainscope.point.Schema;
import io.trainscope.run.RunStatus;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every run under a data directory, one folder each: {@code runs/<id>/spec.json} (the spec as given),
 * {@code run.json} ({@link RunInfo}, replaced atomically on every change) and {@code metrics.bin}
 * ({@link RunLog}). See docs/storage.md.
 *
 * <p>Opening the store recovers from a crash: each run that {@code run.json} says was running or paused
 * becomes {@link RunStatus#INTERRUPTED}, its metrics file is cut after its last valid block, and its
 * iteration count and final cost are taken from what survived. Thread-safe; blocking (file I/O), so call
 * it from a worker thread, never an event loop.
 *
 * <p>Logs stay open once opened, except those of ended runs beyond {@link StoreOptions#maxOpenEndedRuns()}:
 * the least recently read is closed and reopens on its next read, so that a server showing thousands of past
 * runs does not hold thousands of summaries (see {@link OpenLogs}).
 */
public final class RunStore implements Closeable {

    private static final System.Logger LOG = System.getLogger(RunStore.class.getName());
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final String RUN_JSON = "run.json";
    private static final String SPEC_JSON = "spec.json";
    /** A queued run's spec as it was given, to check and start it from, even after a restart; gone once it starts. */
    static final String QUEUED_JSON = "queued.json";
    /** A live run's parameters, kept every few seconds (see {@link #writeCheckpoint}). */
    static final String CHECKPOINT_JSON = "checkpoint.json";
    static final String INTERRUPTED_REASON = "the server stopped while the run was training";

    private final Path runs;
    private final StoreOptions options;
    private final ObjectMapper json = RunInfoJson.mapper();
    /** Every log handed out, by run id: a small handle whose file and summary {@link #openLogs} may close. */
    private final ConcurrentHashMap<String, RunLog> open = new ConcurrentHashMap<>();
    private final OpenLogs openLogs;
    private final List<Recovery> recoveries = new ArrayList<>();

    private RunStore(Path dataDir, StoreOptions options) {
        this.runs = dataDir.resolve("runs");
        this.options = options;
        this.openLogs = new OpenLogs(options.maxOpenEndedRuns());
    }

    public static RunStore open(Path dataDir) throws IOException {
        return open(dataDir, StoreOptions.defaults());
    }

    /** Opens (creating if needed) the store under {@code dataDir} and recovers runs a crash left live. */
    public static RunStore open(Path dataDir, StoreOptions options) throws IOException {
        RunStore store = new RunStore(dataDir, options);
        AtomicFiles.createDirectories(dataDir, options.privateFiles());
        AtomicFiles.createDirectories(store.runs, options.privateFiles());
        store.recover();
        return store;
    }

    private void recover() throws IOException {
        for (RunInfo info : list()) {
            if (!info.status().live()) {
                continue;
            }
            Path dir = dir(info.id());
            try (RunLog log = RunLog.open(info.id(), dir, info.depth(), options, openLogs, fill(info))) {
                Path metrics = dir.resolve(MetricsFile.NAME);
                long lastWrite = Files.getLastModifiedTime(metrics).toMillis();
                String reason = log.recovery().clean() ? INTERRUPTED_REASON
                        : INTERRUPTED_REASON + "; " + log.recovery().problem() + " was dropped";
                writeInfo(info.withStatus(RunStatus.INTERRUPTED, reason, lastWrite)
                        .withProgress(progressOrLast(log))
                        .withElapsed(elapsedAtCrash(info, dir, lastWrite))
                        .withCheckpoint(readCheckpoint(dir)));
                synchronized (recoveries) {
                    recoveries.add(log.recovery());
                }
                LOG.log(System.Logger.Level.INFO, "run " + info.id() + " was interrupted; " + log.points()
                        + " points recovered" + (log.recovery().clean() ? "" : ", " + log.recovery().problem() + " dropped"));
            }
        }
    }

    /**
     * A run that crashed while running trained from its run.json's last write (which recorded its training time
     * then) to its metrics file's last write; one that crashed paused had stopped its clock in run.json.
     */
    private static Long elapsedAtCrash(RunInfo info, Path dir, long lastWrite) throws IOException {
        if (info.elapsedMs() == null || info.status() != RunStatus.RUNNING) {
            return info.elapsedMs();
        }
        long recorded = Files.getLastModifiedTime(dir.resolve(RUN_JSON)).toMillis();
        return info.elapsedMs() + Math.max(0, lastWrite - recorded);
    }

    /** The points a log holds: how many, the last one's results, and the least finite cost (NaN loses to any). */
    static RunInfo.Progress progress(RunLog log) throws IOException {
        long last = log.durableIteration();
        if (last < 0) {
            return RunInfo.Progress.NONE;
        }
        Points end = log.read(last, last);
        // One bucket over the whole run keeps its least-cost point: the one rule, from the summary in memory.
        Points kept = log.downsampled(0, last, 1).points();
        double best = Double.NaN;
        for (int p = 0; p < kept.size(); p++) {
            double cost = kept.cost(p);
            if (Double.isFinite(cost) && !(cost >= best)) {
                best = cost;
            }
        }
        if (end.isEmpty()) {
            return new RunInfo.Progress(log.points(), log.lastCost(), best, Double.NaN, Double.NaN, Double.NaN);
        }
        int p = end.size() - 1;
        return new RunInfo.Progress(log.points(), end.cost(p), best, end.value(Schema.ACCURACY, 0, p),
                end.value(Schema.VALIDATION_COST, 0, p), end.value(Schema.VALIDATION_ACCURACY, 0, p));
    }

    /** What opening the store recovered, one entry per interrupted run. */
    public List<Recovery> recoveries() {
        synchronized (recoveries) {
            return List.copyOf(recoveries);
        }
    }

    /** Every run, newest first. A folder whose run.json cannot be read is skipped with a warning. */
    public List<RunInfo> list() throws IOException {
        List<RunInfo> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(runs, p -> Files.isDirectory(p)
                && !p.getFileName().toString().startsWith("."))) {
            for (Path dir : dirs) {
                try {
                    out.add(readInfo(dir));
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "skipping " + dir + ": " + e.getMessage());
                }
            }
        }
        out.sort(Comparator.comparingLong(RunInfo::createdAt).thenComparing(RunInfo::id).reversed());
        return out;
    }

    public Optional<RunInfo> info(String id) throws IOException {
        Path dir = dir(id);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        return Optional.of(readInfo(dir));
    }

    /** The run's folder, where a caller may keep files of its own next to the store's (such as final parameters). */
    public Path folder(String id) throws IOException {
        return existing(id);
    }

    /**
     * Writes {@code name} in the run's folder, atomically and forced to the device, with the store's permissions:
     * the caller's own files (such as final parameters) are kept as the store's are.
     */
    public void writeFile(String id, String name, AtomicFiles.Content content) throws IOException {
        AtomicFiles.write(existing(id).resolve(name), content, true, options.privateFiles());
    }

    /** The spec exactly as it was given to {@link #create}. */
    public String spec(String id) throws IOException {
        return Files.readString(existing(id).resolve(SPEC_JSON), StandardCharsets.UTF_8);
    }

    /**
     * Creates a run, {@link RunStatus#RUNNING} from now, and returns its log ready for {@code append}.
     *
     * @param depth the number of layers L of its network (its spec's {@code layers.length - 1})
     * @throws IllegalArgumentException when the id is not a safe folder name or is taken
     */
    public RunLog create(String id, String name, String specJson, int depth) throws IOException {
        return create(id, name, specJson, depth, null, null);
    }

    /**
     * Creates a run, {@link RunStatus#RUNNING} from now, or {@link RunStatus#QUEUED} when {@code queuedSpec} (the spec
     * as given, to start it from later, see {@link #queuedSpec}) is not null; its log is ready for {@code append}
     * either way. {@code sweep}, when not null, is kept in its run.json as it is.
     */
    public RunLog create(String id, String name, String specJson, int depth, String queuedSpec,
                         com.fasterxml.jackson.databind.JsonNode sweep) throws IOException {
        if (depth < 1) {
            throw new IllegalArgumentException("a run needs at least one layer, got depth " + depth);
        }
        Path dir = dir(id);
        try {
            AtomicFiles.createDirectory(dir, options.privateFiles());
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("a run with id '" + id + "' already exists", e);
        }
        long now = System.currentTimeMillis();
        try {
            AtomicFiles.write(dir.resolve(SPEC_JSON), out -> out.write(specJson.getBytes(StandardCharsets.UTF_8)), true,
                    options.privateFiles());
            if (queuedSpec != null) {
                AtomicFiles.write(dir.resolve(QUEUED_JSON), out -> out.write(queuedSpec.getBytes(StandardCharsets.UTF_8)),
                        true, options.privateFiles());
            }
            RunStatus status = queuedSpec != null ? RunStatus.QUEUED : RunStatus.RUNNING;
            writeInfo(new RunInfo(id, name, status, null, now, queuedSpec != null ? null : now, null, 0, null, depth)
                    .withElapsed(0L).withSweep(sweep));
            return log(id);
        } catch (IOException | RuntimeException e) {
            // A folder without a readable run.json would be skipped, with a warning, at every start from now on.
            open.remove(id);
            try {
                removeTree(dir);
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** A queued run's spec as it was given to {@link #create}; fails when the run is not queued (any more). */
    public String queuedSpec(String id) throws IOException {
        return Files.readString(existing(id).resolve(QUEUED_JSON), StandardCharsets.UTF_8);
    }

    /** A queued run leaves the queue to train: {@link RunStatus#RUNNING} from now; its given spec is let go. */
    public RunInfo start(String id) throws IOException {
        RunInfo info = setStatus(id, RunStatus.RUNNING, null);
        Files.deleteIfExists(existing(id).resolve(QUEUED_JSON));
        return info;
    }

    /**
     * The run's log, opened on first use (which reads its whole file once to rebuild the summary, or checks it
     * against summary.bin) and cached; the handle stays valid, though an ended run's file may be closed between
     * reads and reopened by the next one.
     */
    public RunLog log(String id) throws IOException {
        try {
            return open.computeIfAbsent(id, key -> {
                try {
                    RunInfo info = readInfo(existing(key));
                    return RunLog.open(key, dir(key), info.depth(), options, openLogs, fill(info));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * What a metrics file written before a column existed is given for it: the learning rate of each iteration
     * from the spec's and the run's live changes (RateChange), which is what the updates used.
     */
    private ColumnFill fill(RunInfo info) throws IOException {
        double initial;
        try {
            initial = json.readTree(Files.readAllBytes(dir(info.id()).resolve(SPEC_JSON))).path("learningRate")
                    .asDouble(Double.NaN);
        } catch (NoSuchFileException | JacksonException e) {
            initial = Double.NaN;
        }
        double rate = initial;
        List<RateChange> changes = info.changes();
        return (column, index, iteration) -> column == io.trainscope.point.Schema.LEARNING_RATE
                ? RateChange.at(changes, iteration, rate) : Double.NaN;
    }

    /** Applies {@code change} to the run's info and replaces run.json atomically; returns the new info. */
    public synchronized RunInfo update(String id, UnaryOperator<RunInfo> change) throws IOException {
        RunInfo updated = change.apply(readInfo(existing(id)));
        if (!updated.id().equals(id)) {
            throw new IllegalArgumentException("a run's id cannot change (" + id + " to " + updated.id() + ")");
        }
        writeInfo(updated);
        return updated;
    }

    /**
     * Records a status change. When the status is no longer live, the run's pending points are written, its
     * writer thread stops, and its iteration count and final cost are taken from the log.
     */
    public RunInfo setStatus(String id, RunStatus status, String reason) throws IOException {
        return setStatus(id, status, reason, null);
    }

    /**
     * Records a status change as {@link #setStatus(String, RunStatus, String)}, with the run's training time so far
     * ({@code elapsedMs}, pauses excluded; null keeps what was recorded). An ended run's results (its last point's,
     * and its best cost) are taken from its log, and a queued run's given spec is let go.
     */
    public RunInfo setStatus(String id, RunStatus status, String reason, Long elapsedMs) throws IOException {
        RunLog log = open.get(id);
        String lost = null;
        if (log != null && status.ended()) {
            try {
                log.finishWriting();
            } catch (UncheckedIOException e) {
                // Its last points could not be written (a full disk): the status says what is kept all the same.
                lost = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            }
        }
        long now = System.currentTimeMillis();
        String why = lost == null ? reason : (reason == null ? "" : reason + "; ") + "its last points could not be written ("
                + lost + ")";
        RunInfo.Progress progress = log == null ? null : progressOrLast(log);
        RunInfo changed = update(id, info -> {
            RunInfo next = info.withStatus(status, why, now).withElapsed(elapsedMs != null ? elapsedMs : info.elapsedMs());
            return progress == null ? next : next.withProgress(progress);
        });
        if (status.ended()) {
            Files.deleteIfExists(existing(id).resolve(QUEUED_JSON));
        }
        return changed;
    }

    /** {@link #progress}, or only the count and last cost when the points cannot be read (a damaged file). */
    private static RunInfo.Progress progressOrLast(RunLog log) {
        try {
            return progress(log);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not read the results of a run: " + e.getMessage());
            return new RunInfo.Progress(log.points(), log.lastCost(), Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
    }

    /**
     * A live run's progress so far, as its stored points say (count, last results, best cost), and its training time:
     * written every few seconds while it trains, so that run.json shows it and a crash loses little of it. Nothing is
     * written once the run is no longer live: its last status change recorded what it ended with.
     */
    public RunInfo progress(String id, long elapsedMs) throws IOException {
        RunLog log = open.get(id);
        RunInfo.Progress progress = log == null ? null : progressOrLast(log);
        return update(id, info -> !info.status().live() ? info
                : (progress == null ? info : info.withProgress(progress)).withElapsed(elapsedMs));
    }

    /** Writes a run's parameters as read by {@link #checkpoint}. */
    @FunctionalInterface
    public interface ParametersContent {
        void write(com.fasterxml.jackson.core.JsonGenerator out) throws IOException;
    }

    /**
     * Keeps a live run's parameters in {@code checkpoint.json}, atomically (a crash leaves the previous one whole),
     * as {@code {"iteration": I, "learningRate": x, "keptAt": t, "parameters": {"W1": …}}}, the parameters in a spec's
     * {@code initialParameters} format; then records {@code checkpoint} in run.json. The iteration comes first so that
     * {@link #readCheckpoint} reads only the head of a large file.
     */
    public RunInfo writeCheckpoint(String id, Checkpoint checkpoint, ParametersContent parameters) throws IOException {
        Path dir = existing(id);
        AtomicFiles.write(dir.resolve(CHECKPOINT_JSON), out -> {
            try (com.fasterxml.jackson.core.JsonGenerator head = json.getFactory().createGenerator(out)) {
                head.enable(com.fasterxml.jackson.core.JsonGenerator.Feature.USE_FAST_DOUBLE_WRITER);
                head.writeStartObject();
                head.writeNumberField("iteration", checkpoint.iteration());
                head.writeNumberField("learningRate", checkpoint.learningRate());
                head.writeNumberField("keptAt", checkpoint.keptAt());
                head.writeFieldName("parameters");
                parameters.write(head);
                head.writeEndObject();
            }
        }, true, options.privateFiles());
        return update(id, info -> info.withCheckpoint(checkpoint));
    }

    /** Removes a run's kept parameters (its final ones supersede them), file and record. */
    public RunInfo dropCheckpoint(String id) throws IOException {
        Files.deleteIfExists(existing(id).resolve(CHECKPOINT_JSON));
        return update(id, info -> info.withCheckpoint(null));
    }

    /** The file of a run's kept parameters ({@link #writeCheckpoint}), or null when it has none. */
    public Path checkpointFile(String id) throws IOException {
        Path file = existing(id).resolve(CHECKPOINT_JSON);
        return Files.isRegularFile(file) ? file : null;
    }

    /** The head of a run's checkpoint.json, or null when there is none or it cannot be read. */
    static Checkpoint readCheckpoint(Path dir) {
        Path file = dir.resolve(CHECKPOINT_JSON);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (com.fasterxml.jackson.core.JsonParser in = new com.fasterxml.jackson.core.JsonFactory()
                .createParser(file.toFile())) {
            long iteration = -1;
            double rate = Double.NaN;
            long keptAt = 0;
            if (in.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return null;
            }
            while (in.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = in.currentName();
                if (field.equals("parameters")) {
                    break;
                }
                in.nextToken();
                switch (field) {
                    case "iteration" -> iteration = in.getLongValue();
                    case "learningRate" -> rate = in.getDoubleValue();
                    case "keptAt" -> keptAt = in.getLongValue();
                    default -> in.skipChildren();
                }
            }
            return iteration >= 0 ? new Checkpoint(iteration, rate, keptAt) : null;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read " + file + ": " + e.getMessage());
            return null;
        }
    }

    public RunInfo rename(String id, String name) throws IOException {
        return update(id, info -> info.withName(name));
    }

    /** Replaces the run's list of learning-rate changes (see {@link RateChange#record}). */
    public RunInfo changes(String id, List<RateChange> changes) throws IOException {
        return update(id, info -> info.withChanges(changes));
    }

    /**
     * Deletes the run's folder. It is first renamed to a hidden name, so that a crash midway leaves no
     * half-deleted run in the list.
     *
     * @throws IllegalStateException when the run is still being written: stop it first
     */
    public void delete(String id) throws IOException {
        Path dir = existing(id);
        RunLog log = open.get(id);
        if (log != null && log.writing()) {
            throw new IllegalStateException("run " + id + " is still being written; stop it before deleting it");
        }
        if (log != null) {
            open.remove(id, log);
            log.close();
        }
        Path trash = runs.resolve(".deleted-" + id + "-" + System.nanoTime());
        Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
        removeTree(trash);
    }

    private static void removeTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Writes every pending point and closes every log. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (RunLog log : open.values()) {
            try {
                log.close();
            } catch (IOException | RuntimeException e) {
                first = first != null ? first : new IOException("closing run logs failed: " + e.getMessage(), e);
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }

    /** How many ended runs' logs are open now: at most {@link StoreOptions#maxOpenEndedRuns()} when none is being read. */
    int openEndedLogs() {
        return openLogs.size();
    }

    private Path dir(String id) {
        if (id == null || !RUN_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a run id must be 1 to 64 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit, got '" + id + "'");
        }
        return runs.resolve(id);
    }

    private Path existing(String id) throws NoSuchFileException {
        Path dir = dir(id);
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no run with id '" + id + "'");
        }
        return dir;
    }

    private RunInfo readInfo(Path dir) throws IOException {
        try {
            return json.readValue(Files.readAllBytes(dir.resolve(RUN_JSON)), RunInfo.class);
        } catch (JacksonException e) {
            throw new IOException(dir.resolve(RUN_JSON) + " is not valid: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes run.json through a temporary file, forced, then renamed over the old one: never half-written. */
    private void writeInfo(RunInfo info) throws IOException {
        byte[] bytes = json.writeValueAsBytes(info);
        AtomicFiles.write(dir(info.id()).resolve(RUN_JSON), out -> out.write(bytes), true, options.privateFiles());
    }
}
