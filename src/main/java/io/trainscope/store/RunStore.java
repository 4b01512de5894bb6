package io.trainscope.store;

import io.trainscope.run.RunStatus;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;

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
                        .withProgress(log.points(), log.lastCost()));
                synchronized (recoveries) {
                    recoveries.add(log.recovery());
                }
                LOG.log(System.Logger.Level.INFO, "run " + info.id() + " was interrupted; " + log.points()
                        + " points recovered" + (log.recovery().clean() ? "" : ", " + log.recovery().problem() + " dropped"));
            }
        }
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
            writeInfo(new RunInfo(id, name, RunStatus.RUNNING, null, now, now, null, 0, null, depth));
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
        RunLog log = open.get(id);
        String lost = null;
        if (log != null && !status.live()) {
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
        return update(id, info -> {
            RunInfo changed = info.withStatus(status, why, now);
            return log == null ? changed : changed.withProgress(log.points(), log.lastCost());
        });
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
