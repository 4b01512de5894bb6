package io.trainscope.server.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.history.History;
import io.trainscope.nn.Dataset;
import io.trainscope.nn.Network;
import io.trainscope.nn.StepMetrics;
import io.trainscope.nn.Trainer;
import io.trainscope.point.Points;
import io.trainscope.point.Schema;
import io.trainscope.run.RunStatus;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.bus.KeptViews;
import io.trainscope.server.bus.RunCommand;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.server.bus.RunView;
import io.trainscope.spec.ParametersJson;
import io.trainscope.store.Checkpoint;
import io.trainscope.store.RateChange;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * One run: its trainer, its history and its status, and the one place where its status changes. Its states and
 * the commands each allows:
 * <pre>
 *   queued --begin--> running                          (a slot freed: its network is made, it trains)
 *   queued --stop | fail--> stopped | failed            (it never trained; fail: its spec was refused on starting)
 *   running --pause--> paused --resume--> running      (step: paused only; set: running or paused)
 *   running | paused --stop | finish | fail--> stopped | finished | failed   (ended: only rename and delete)
 * </pre>
 * A queued run may be stopped, renamed or deleted; the commands that drive training are refused until it begins.
 * An ended run is <em>ending</em> until every point it trained has been pushed: its final state waits for them,
 * and it cannot be deleted meanwhile. {@link #refusal} says which command a state refuses and why; the
 * transitions ({@link #pause}, {@link #resume}, {@link #end}) refuse to go anywhere else.
 *
 * <p>Three kinds of thread touch it, each its own part:
 * <ul>
 *   <li>the training verticle's context owns the control fields (status, {@link RunClock clocks}, timers,
 *       queued commands) and publishes each change as a new immutable {@link #snapshot()};</li>
 *   <li>one chunk at a time trains on a worker-executor thread ({@link #train}); the next chunk is submitted
 *       only after the previous one completed, so the trainer never sees two threads at once;</li>
 *   <li>any thread may read {@link #snapshot()} and {@link #history()}.</li>
 * </ul>
 */
public final class Run implements RunView {

    private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();

    private final String id;
    /** Released when the run ends: a large network is hundreds of MB that an ended run no longer needs. */
    private volatile Trainer trainer;
    /** Read back from storage, having ended before this server started. */
    private final boolean restored;
    private final JsonNode spec;
    private final String description;
    private final long iterations;
    private final History history;
    /** When training began (0 while queued); set on the verticle context, read by {@link #refresh()}. */
    private long startedAt;
    private final long createdAt;
    /** The label of the sweep it was started with, or null. */
    private volatile JsonNode sweep;

    /** Set by a control command on the verticle context, read by the chunk between iterations. */
    private volatile boolean interrupt;
    /**
     * Iterations trained, published by each chunk as it ends. A history may publish its points later than
     * this (a disk-backed one counts only what is written), so control decisions use this count.
     */
    private volatile long trained;
    private volatile RunSnapshot snapshot;
    /** Set on the verticle context; read by {@link #refresh()}. */
    private volatile String name;
    private volatile boolean parametersKept;
    /** A restored run's final cost: its points are not read to learn it. */
    private final double restoredCost;
    /** Why its record could not be written, shown until it is; null when storage agrees with what is shown. */
    private volatile String storageProblem;
    /** The last point pushed to viewers, a batch of at most one that is never changed once set. */
    private volatile Points latest;
    /**
     * Its views, while it trains, and after it ended for as long as storage does not keep them (a server without a
     * data directory): null for a restored run, and once storage holds what it kept ({@link #viewsStored}).
     */
    private volatile RunViews views;
    /** What storage keeps of its views ({@link KeptViews#NONE} without a data directory). */
    private final KeptViews stored;
    /** Each view at most this many times a second, once it trains. */
    private final int snapshotRate;
    /** What the last chunk computed of its views: written by the chunk, read by the verticle once it returned. */
    private RunViews.Taken taken = RunViews.Taken.NONE;

    // Chunk thread only: reused every chunk so that training allocates nothing per iteration (set when it begins).
    private StepMetrics metrics;
    private Points batch;
    // Training verticle context only: the state machine,
    private RunStatus status = RunStatus.RUNNING;
    private String reason;
    private long endedAt;
    /** Ended, but its final state waits until the history has published every trained point. */
    private boolean ending;
    /** Its storage failed: the points it has published are all it will ever have. */
    private boolean pointsFinal;
    // and the verticle's scheduling of it.
    boolean chunkInFlight;
    /** A gradient check of it is under way (on the verticle's context). */
    boolean checking;
    final Queue<io.vertx.core.eventbus.Message<RunCommand>> deferred = new ArrayDeque<>();
    long pushedTo;
    long timerId = -1;
    private final RunClock clock;
    /**
     * An estimate of an iteration's work, to share threads between runs by ({@link Turns}); 0 until it has a network.
     * Verticle context.
     */
    private double workPerIteration;
    /** The spec's learning rate, and the changes made since: the record of every rate an update used. */
    private final double initialRate;
    private List<RateChange> changes;
    /** The least finite cost pushed so far (NaN: none), or a restored run's from its record. */
    private double bestCost = Double.NaN;
    /** A restored run's results, from its record; a live run's come from its latest point. */
    private final RunSnapshot.Results restoredResults;
    /** Its parameters as last kept on disk while it trained, or null. */
    private volatile Checkpoint checkpoint;
    /** The server's bound on kept histograms in memory, or null (a run made by a test). Verticle context. */
    private HistogramKeeper.Held histogramsHeld;
    /** The scheduling of its checkpoints ({@link Checkpoints}): verticle context only. */
    boolean checkpointing;
    /**
     * Guards {@code views.json}: a checkpoint's copy of the boundary and network (written on the keeping thread)
     * never replaces the one written as the run ended.
     */
    final Object viewsFile = new Object();
    /** Under {@link #viewsFile}: the views as the run ended are written; no checkpoint writes them after. */
    boolean endViewsWritten;
    long checkpointDueNanos;
    long checkpointWriteNanos;
    /** A queued run whose network is being made, to train in a slot that freed. */
    boolean preparing;

    /** A run whose views are computed at most {@code snapshotRate} times a second each, kept in memory only. */
    Run(String id, PreparedRun prepared, double pace, History history) {
        this(id, prepared, pace, history, ServerConfig.DEFAULT_SNAPSHOT_RATE, KeptViews.NONE);
    }

    /** {@code stored}: what storage will keep of its views, read once memory lets them go. */
    Run(String id, PreparedRun prepared, double pace, History history, int snapshotRate, KeptViews stored) {
        this.id = id;
        this.trainer = prepared.trainer();
        this.restored = false;
        this.trained = trainer.iteration();
        this.description = prepared.description();
        this.iterations = prepared.iterations();
        this.history = history;
        this.startedAt = System.currentTimeMillis();
        this.createdAt = startedAt;
        this.restoredResults = null;
        JsonNode shown = prepared.spec();
        if (pace > 0 && shown instanceof ObjectNode object) {
            shown = object.deepCopy().put(Pace.FIELD, pace);
        }
        this.spec = shown;
        this.name = shown.path("name").isTextual() ? shown.path("name").asText() : null;
        this.restoredCost = Double.NaN;
        this.metrics = trainer.newMetrics();
        this.batch = new Points(history.depth(), 256);
        this.latest = new Points(history.depth(), 0);
        this.initialRate = trainer.learningRate();
        this.changes = List.of();
        this.clock = RunClock.started(pace);
        this.workPerIteration = workPerIteration(trainer);
        this.stored = stored;
        this.snapshotRate = snapshotRate;
        this.views = new RunViews(id, trainer, snapshotRate);
        refresh();
    }

    /**
     * A run waiting for a slot since {@code createdAt}, from a checked spec (as viewers see it, without its pace): no
     * network (nor views) yet; {@link #begin} gives it one.
     */
    Run(String id, JsonNode spec, String description, long iterations, double pace, History history, long createdAt,
        int snapshotRate, KeptViews stored) {
        this.id = id;
        this.trainer = null;
        this.restored = false;
        this.status = RunStatus.QUEUED;
        this.description = description;
        this.iterations = iterations;
        this.history = history;
        this.createdAt = createdAt;
        this.restoredResults = null;
        this.spec = pace > 0 && spec instanceof ObjectNode object ? object.deepCopy().put(Pace.FIELD, pace) : spec;
        this.name = spec.path("name").isTextual() ? spec.path("name").asText() : null;
        this.restoredCost = Double.NaN;
        this.latest = new Points(history.depth(), 0);
        this.initialRate = spec.path("learningRate").asDouble(Double.NaN);
        this.changes = List.of();
        this.clock = RunClock.stopped(pace, 0);
        this.snapshotRate = snapshotRate;
        this.stored = stored;
        refresh();
    }

    /** Queued to running: it has a network now (and views), and its clocks start. */
    void begin(PreparedRun prepared) {
        expect(RunStatus.QUEUED, "begin");
        trainer = prepared.trainer();
        views = new RunViews(id, trainer, snapshotRate);
        if (histogramsHeld != null) {
            views.chargeTo(histogramsHeld);
        }
        metrics = trainer.newMetrics();
        batch = new Points(history.depth(), 256);
        workPerIteration = workPerIteration(trainer);
        trained = trainer.iteration();
        startedAt = System.currentTimeMillis();
        status = RunStatus.RUNNING;
        clock.start(trained);
    }

    /** Queued to stopped or failed without ever training: nothing of it is to be pushed. */
    void dropFromQueue(RunStatus ended, String why) {
        if (status != RunStatus.QUEUED || !ended.ended()) {
            throw new IllegalStateException("run " + id + " cannot go from " + status.wire() + " to " + ended.wire());
        }
        status = ended;
        reason = why;
        endedAt = System.currentTimeMillis();
    }

    /**
     * A run that ended before this server started, read back from storage: it has a history and a status
     * but no trainer, and control commands are refused as for any ended run.
     */
    private Run(RunSnapshot ended, History history, KeptViews stored) {
        this.id = ended.id();
        this.trainer = null;
        this.restored = true;
        this.spec = ended.spec();
        this.description = ended.description();
        this.iterations = ended.iterations();
        this.history = history;
        this.startedAt = ended.startedAt();
        this.createdAt = ended.createdAt();
        this.sweep = ended.sweep();
        this.checkpoint = ended.checkpoint();
        this.restoredResults = ended.results();
        this.status = ended.status();
        this.reason = ended.reason();
        this.endedAt = ended.endedAt();
        this.trained = history.size();
        this.pushedTo = history.size();
        this.name = ended.name();
        this.parametersKept = ended.parameters();
        this.restoredCost = ended.cost();
        this.metrics = null;
        this.batch = null;
        this.latest = new Points(history.depth(), 0);
        this.clock = RunClock.stopped(ended.pace(), ended.elapsedMs());
        this.initialRate = ended.spec().path("learningRate").asDouble(Double.NaN);
        this.changes = ended.changes();
        this.stored = stored;
        this.snapshotRate = ServerConfig.DEFAULT_SNAPSHOT_RATE;
        this.views = null;
        refresh();
    }

    static Run restored(RunSnapshot ended, History history, KeptViews stored) {
        if (ended.status().live()) {
            throw new IllegalArgumentException("run " + ended.id() + " is " + ended.status().wire()
                    + "; a restored run has ended (a run that was training is interrupted)");
        }
        return new Run(ended, history, stored);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public History history() {
        return history;
    }

    /** From memory while the run holds its views, else from storage; reads may touch disk. */
    @Override
    public KeptViews kept() {
        RunViews current = views;
        return current != null ? current.kept() : stored;
    }

    /** Its views, or null once it has let them go (an ended run whose storage keeps them, a restored run). */
    RunViews views() {
        return views;
    }

    /** Storage holds what the ended run kept of its views: memory lets them go. */
    void viewsStored() {
        releaseViews();
    }

    /**
     * Its kept histograms count towards {@code held}, the server's bound ({@link HistogramKeeper}), now and once a
     * queued run has its views; set before it trains.
     */
    void chargeHistogramsTo(HistogramKeeper.Held held) {
        histogramsHeld = held;
        if (views != null) {
            views.chargeTo(held);
        }
    }

    /** Memory lets its views go (stored, or the run deleted): they no longer count towards the server's bound. */
    void releaseViews() {
        RunViews current = views;
        if (current != null) {
            current.release();
        }
        views = null;
    }

    /** The run as last published; safe from any thread. */
    @Override
    public RunSnapshot snapshot() {
        return snapshot;
    }

    RunStatus status() {
        return status;
    }

    String reason() {
        return reason;
    }

    /**
     * Why {@code kind} cannot apply to this run as it is, or null when it can: the whole table of which state
     * allows which command.
     */
    String refusal(RunCommand.Kind kind) {
        String is = "run " + id + " is " + status.wire();
        if (status == RunStatus.QUEUED && kind != RunCommand.Kind.STOP && kind != RunCommand.Kind.RENAME
                && kind != RunCommand.Kind.DELETE) {
            return is + "; it has not started (a slot frees when a running or paused run ends), so it can only be"
                    + " stopped, renamed or deleted";
        }
        return switch (kind) {
            case STOP -> status.live() || status == RunStatus.QUEUED ? null : is + " already";
            case PAUSE -> status == RunStatus.RUNNING ? null : is + "; only a running run can be paused";
            case RESUME -> status == RunStatus.PAUSED ? null : is + "; only a paused run can be resumed";
            case STEP -> status == RunStatus.PAUSED ? null : is + "; pause it before stepping";
            case SET -> status.live() ? null : is + "; only a running or paused run's learning rate can change";
            case RENAME -> null;
            case GRADIENT_CHECK -> status.live() ? null : is + "; its network was let go when it ended, and only a"
                    + " running or paused run's gradients can be checked";
            case DELETE -> status.live() ? is + "; stop it before deleting it"
                    : ending ? "run " + id + " is still writing its last points; try again in a moment"
                    : preparing ? "run " + id + " is starting; try again in a moment" : null;
            case START -> throw new IllegalArgumentException("start names no run");
        };
    }

    /** Running to paused: its clock stops. */
    void pause() {
        expect(RunStatus.RUNNING, "pause");
        status = RunStatus.PAUSED;
        clock.stop();
    }

    /** Paused to running: its clock goes on from the iterations trained. */
    void resume() {
        expect(RunStatus.PAUSED, "resume");
        status = RunStatus.RUNNING;
        clock.start(trained);
    }

    /** Running or paused to an ended {@code status}, for {@code reason} (null for none); it is ending from now. */
    void end(RunStatus ended, String why) {
        if (!status.live() || ended.live()) {
            throw new IllegalStateException("run " + id + " cannot go from " + status.wire() + " to " + ended.wire());
        }
        status = ended;
        reason = why;
        endedAt = System.currentTimeMillis();
        clock.stop();
        ending = true;
    }

    /** Its storage refuses more points: the end waits for none. */
    void pointsFinal() {
        pointsFinal = true;
    }

    /** Ending, and every point trained has been published (or never will be): its final state may go out. */
    boolean endReady() {
        return ending && !checkpointing && (history.size() >= trained || pointsFinal);
    }

    /** Its final state went out: it has ended. */
    void ended() {
        ending = false;
    }

    private void expect(RunStatus from, String transition) {
        if (status != from) {
            throw new IllegalStateException("cannot " + transition + " run " + id + ": it is " + status.wire());
        }
    }

    /** Elapsed time, rate and pacing: on the verticle context only. */
    RunClock clock() {
        return clock;
    }

    long iterations() {
        return iterations;
    }

    double workPerIteration() {
        return workPerIteration;
    }

    /**
     * Multiply-adds, about: every parameter once per training example forward and twice backward, once per
     * validation example, plus a fixed cost for an iteration's bookkeeping (its metrics and point). Only the ratio
     * between runs matters.
     */
    static double workPerIteration(Trainer trainer) {
        Dataset validation = trainer.validation();
        double examples = 3.0 * trainer.train().samples() + (validation == null ? 0 : validation.samples());
        return examples * trainer.network().parameterCount() + 1_000;
    }

    /** The most wall time a chunk takes, in chunk budgets, while it is owed CPU time. */
    static final int MAX_STRETCH = 4;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();

    /** This thread's CPU time in ns, or -1 when the JVM cannot tell. */
    private static long threadCpuNanos() {
        return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    /**
     * Trains until the chunk's time is up (its budget of this thread's CPU time, within {@link #MAX_STRETCH}
     * budgets of wall time), {@code maxIterations} are done, the run is complete or a control
     * command interrupts; then publishes the chunk's points to the history in one batch. Control is looked at
     * between iterations only: an iteration is never cut in half. Returns why the run failed, or null.
     */
    String train(long budgetNanos, long maxIterations) {
        long start = System.nanoTime();
        long deadline = start + budgetNanos;
        long cpuStart = threadCpuNanos();
        String failure = null;
        batch.clear();
        long done = 0;
        while (!interrupt && done < maxIterations && trainer.iteration() < iterations) {
            trainer.step(metrics);
            batch.add(metrics);
            done++;
            if (!metrics.finite()) {
                failure = metrics.nonFiniteReason();
                break;
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                // Fair turns: a chunk gets its budget of CPU time, not of wall time, so that a run whose thread the
                // operating system set aside mid-chunk (a loaded machine) is not left behind the others; at most
                // MAX_STRETCH budgets of wall time (a stop, pause or set ends a chunk at its next iteration anyway).
                long owed = cpuStart < 0 ? 0 : budgetNanos - (threadCpuNanos() - cpuStart);
                long latest = start + MAX_STRETCH * budgetNanos;
                if (owed <= 0 || now - latest >= 0) {
                    break;
                }
                deadline = now + Math.min(owed, latest - now);
            }
        }
        history.append(batch);
        trained = trainer.iteration();
        taken = views.take(trainer, System.nanoTime());
        return failure;
    }

    /**
     * A chunk of no iterations, for a paused run: the views due or newly wanted ({@link RunViews#pending}), on the
     * chunk's thread like any chunk. Picked up with {@link #taken()}.
     */
    void takeViews() {
        taken = views.take(trainer, System.nanoTime());
    }

    /** What the last chunk computed of the views; once, after it returned, on the verticle's context. */
    RunViews.Taken taken() {
        RunViews.Taken last = taken;
        taken = RunViews.Taken.NONE;
        return last;
    }

    /** The initial histograms, kept; on the verticle's context before the first chunk. */
    RunViews.Taken firstViews() {
        return views.first(trainer);
    }

    /** The last views as the run ends, kept; on the verticle's context with no chunk in flight, before {@link #release}. */
    RunViews.Taken lastViews() {
        Trainer current = trainer;
        return current == null || views == null ? RunViews.Taken.NONE : views.last(current);
    }

    /**
     * A copy of the network as it is and the training examples, for a gradient check on another thread; on the
     * verticle's context with no chunk in flight (the trainer is then untouched by any other thread).
     */
    Network copyNetwork() {
        return trainer.network().copy();
    }

    Dataset trainingData() {
        return trainer.train();
    }

    /**
     * Writes the final parameters in the spec's {@code initialParameters} format to {@code file}, streamed: as
     * text, a network of 10 M parameters is 200 MB, which a byte array would hold twice while it grows. On the
     * verticle context, with no chunk in flight, before {@link #release}.
     */
    void writeParameters(java.io.OutputStream file) throws java.io.IOException {
        Trainer current = trainer;
        if (current == null) {
            throw new IllegalStateException("run " + id + " has no network to write");
        }
        try (com.fasterxml.jackson.core.JsonGenerator out = JSON.createGenerator(file)) {
            // Java 17's Double.toString takes most of a stop on a large network; Jackson's Schubfach writer is
            // several times faster and still round-trips every double exactly.
            out.enable(com.fasterxml.jackson.core.JsonGenerator.Feature.USE_FAST_DOUBLE_WRITER);
            ParametersJson.write(out, current.network());
        }
    }

    /** The run has ended and its parameters are kept: its network and data are let go. */
    void release() {
        trainer = null;
    }

    boolean released() {
        return trainer == null;
    }

    /** The last of the points just pushed becomes the run's latest (copied: the batch goes to viewers as it is). */
    void pushed(Points points) {
        // Downsampled or not, an update keeps every bucket's least-cost point: its least cost is the range's.
        for (int p = 0; p < points.size(); p++) {
            double cost = points.cost(p);
            if (Double.isFinite(cost) && !(cost >= bestCost)) {
                bestCost = cost;
            }
        }
        if (!points.isEmpty()) {
            Points last = new Points(points.layout(), 1);
            last.add(points, points.size() - 1);
            latest = last;
        }
    }

    /** Why the run's record on disk does not show what its snapshot does yet (null: it does). */
    void storageProblem(String problem) {
        storageProblem = problem;
    }

    List<RateChange> changes() {
        return changes;
    }

    /** The changes as they would be with the rate set to {@code rate} from the next iteration on. */
    List<RateChange> changesWith(double rate) {
        return RateChange.record(changes, trained, rate, initialRate);
    }

    /**
     * Sets the rate of the next update and onward, recorded as {@code newChanges} (from {@link #changesWith}).
     * On the verticle context with no chunk in flight: the trainer is untouched by any other thread then, and
     * handing it the next chunk publishes the new rate to that chunk's thread; the hot loop reads no shared state.
     */
    void learningRate(double rate, List<RateChange> newChanges) {
        trainer.learningRate(rate);
        changes = newChanges;
    }

    void parametersKept() {
        parametersKept = true;
    }

    void name(String newName) {
        name = newName;
    }

    /** Iterations trained so far; history may publish them a little later. */
    long trained() {
        return trained;
    }

    void interrupt(boolean on) {
        interrupt = on;
    }

    boolean complete() {
        return trained >= iterations;
    }

    void sweep(JsonNode label) {
        sweep = label;
    }

    /** Its parameters were kept on disk at {@code kept}. */
    void checkpointKept(Checkpoint kept) {
        checkpoint = kept;
    }

    Checkpoint checkpoint() {
        return checkpoint;
    }

    /** Its final parameters supersede what was kept while it trained. */
    void checkpointDropped() {
        checkpoint = null;
    }

    /** The network, for keeping its parameters: on the verticle context, with no chunk in flight; null once released. */
    Trainer trainer() {
        return trainer;
    }

    /** Publishes the current control state as a new snapshot. */
    RunSnapshot refresh() {
        long size = history.size();
        double cost = restoredCost;
        if (size > 0 && !restored) {
            cost = history.lastCost();
        }
        RunSnapshot.Results results = restoredResults;
        if (!restored) {
            Points last = latest;
            boolean any = !last.isEmpty();
            results = new RunSnapshot.Results(bestCost,
                    any ? last.value(Schema.ACCURACY, 0, 0) : Double.NaN,
                    any ? last.value(Schema.VALIDATION_COST, 0, 0) : Double.NaN,
                    any ? last.value(Schema.VALIDATION_ACCURACY, 0, 0) : Double.NaN);
        }
        snapshot = new RunSnapshot(id, status, reason, size, iterations, spec, description, history.depth(),
                startedAt, endedAt, clock.elapsedMs(), clock.itPerSec(), clock.pace(), cost, name, parametersKept,
                RateChange.current(changes, initialRate), changes, storageProblem, latest, createdAt, results,
                checkpoint, sweep);
        return snapshot;
    }
}
