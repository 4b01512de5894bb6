package io.trainscope.server.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.history.History;
import io.trainscope.nn.Dataset;
import io.trainscope.nn.Network;
import io.trainscope.nn.StepMetrics;
import io.trainscope.nn.Trainer;
import io.trainscope.point.Points;
import io.trainscope.run.RunStatus;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.bus.KeptViews;
import io.trainscope.server.bus.RunCommand;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.server.bus.RunView;
import io.trainscope.spec.ParametersJson;
import io.trainscope.store.RateChange;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * One run: its trainer, its history and its status, and the one place where its status changes. Its states and
 * the commands each allows:
 * <pre>
 *   running --pause--> paused --resume--> running      (step: paused only; set: running or paused)
 *   running | paused --stop | finish | fail--> stopped | finished | failed   (ended: only rename and delete)
 * </pre>
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
    private final long startedAt;

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
    /** What the last chunk computed of its views: written by the chunk, read by the verticle once it returned. */
    private RunViews.Taken taken = RunViews.Taken.NONE;

    // Chunk thread only: reused every chunk so that training allocates nothing per iteration.
    private final StepMetrics metrics;
    private final Points batch;
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
    /** The spec's learning rate, and the changes made since: the record of every rate an update used. */
    private final double initialRate;
    private List<RateChange> changes;

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
        this.stored = stored;
        this.views = new RunViews(id, trainer, snapshotRate);
        refresh();
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
        return switch (kind) {
            case STOP -> status.live() ? null : is + " already";
            case PAUSE -> status == RunStatus.RUNNING ? null : is + "; only a running run can be paused";
            case RESUME -> status == RunStatus.PAUSED ? null : is + "; only a paused run can be resumed";
            case STEP -> status == RunStatus.PAUSED ? null : is + "; pause it before stepping";
            case SET -> status.live() ? null : is + "; only a running or paused run's learning rate can change";
            case RENAME -> null;
            case GRADIENT_CHECK -> status.live() ? null : is + "; its network was let go when it ended, and only a"
                    + " running or paused run's gradients can be checked";
            case DELETE -> status.live() ? is + "; stop it before deleting it"
                    : ending ? "run " + id + " is still writing its last points; try again in a moment" : null;
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
        return ending && (history.size() >= trained || pointsFinal);
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

    /**
     * Trains until the chunk's time is up, {@code maxIterations} are done, the run is complete or a control
     * command interrupts; then publishes the chunk's points to the history in one batch. Control is looked at
     * between iterations only: an iteration is never cut in half. Returns why the run failed, or null.
     */
    String train(long budgetNanos, long maxIterations) {
        long deadline = System.nanoTime() + budgetNanos;
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
            if (System.nanoTime() - deadline >= 0) {
                break;
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

    /** Publishes the current control state as a new snapshot. */
    RunSnapshot refresh() {
        long size = history.size();
        double cost = restoredCost;
        if (size > 0 && !restored) {
            cost = history.lastCost();
        }
        snapshot = new RunSnapshot(id, status, reason, size, iterations, spec, description, history.depth(),
                startedAt, endedAt, clock.elapsedMs(), clock.itPerSec(), clock.pace(), cost, name, parametersKept,
                RateChange.current(changes, initialRate), changes, storageProblem, latest);
        return snapshot;
    }
}
