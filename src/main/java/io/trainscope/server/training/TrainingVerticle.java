package io.trainscope.server.training;

import io.trainscope.nn.Dataset;
import io.trainscope.nn.GradientCheck;
import io.trainscope.nn.Network;
import io.trainscope.run.RunStatus;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.bus.Addresses;
import io.trainscope.server.bus.CommandReply;
import io.trainscope.server.bus.GradientCheckReport;
import io.trainscope.server.bus.KeptViews;
import io.trainscope.server.bus.RunCommand;
import io.trainscope.server.bus.ViewDemand;
import io.trainscope.server.bus.ViewSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Owns the runs: starts them, trains them, obeys stop/pause/resume/step, and publishes their states and
 * (at the push rate) their new points through its {@link RunPublisher}; {@link RecordCommands} carries out
 * set, rename and delete. Deployed as a worker; all of its handlers run on its one context, so the control
 * state needs no locks.
 *
 * <p>Why chunks rather than a thread per run: a run trains in chunks of at most {@code chunkMillis} (plus the
 * iteration in progress) on a worker executor with one thread per core (at most one per allowed running run),
 * where several runs' chunks take turns, the run that has done the least work first ({@link Turns}). Between
 * chunks the control state is only ever touched on this context, so stop/pause/step are plain state changes with
 * no races to reason about, and a command waits at most one chunk (another run's, when its run's next chunk waits
 * for a thread; that chunk then returns at once): 25 ms plus one iteration (40 ms on [784,256,128,1] × 2048) is
 * well inside the 100 ms target. A chunk is also interrupted at the next iteration boundary through a volatile
 * flag. The cost is one task hand-off per chunk, ~40 a second: nothing next to the training. No thread ever runs
 * longer than a chunk, so the blocked-thread checker has nothing to flag.
 */
public final class TrainingVerticle extends VerticleBase {

    /** The longest a stop waits for the chunks in flight. */
    static final long DRAIN_MILLIS = 5000;

    private final String commands;
    private final String demand;
    private final ServerConfig config;
    private final RunRegistry registry;
    private final RunFactory factory;
    private final RunRecords storage;
    /** Runs that are live or still have points to push. */
    private final List<Run> active = new ArrayList<>();
    private WorkerExecutor[] trainers;
    /** Which run's chunk goes to the next free thread of {@link #trainers}. */
    private Turns<Run> turns;
    private RunPublisher publisher;
    private RecordCommands records;
    private RunStarts starts;
    private Checkpoints checkpoints;
    /** Ended runs whose status could not be stored yet. */
    private final List<Run> unstored = new ArrayList<>();
    private long lastStoreRetry;
    /** Undeploying: no chunk is started any more (the executor is closing). */
    private boolean stopping;
    /** Set by {@link #stop}: completed once no chunk is in flight. */
    private Promise<Void> drained;

    private static final System.Logger LOG = System.getLogger(TrainingVerticle.class.getName());

    public TrainingVerticle(ServerConfig config, RunRegistry registry, RunFactory factory, RunRecords storage) {
        this(config, registry, factory, storage, Addresses.COMMANDS, Addresses.DEMAND);
    }

    /**
     * Taking its commands on {@code commands} and the views wanted on {@code demand}: a clustered node routes
     * {@link Addresses#COMMANDS} and {@link Addresses#DEMAND} first.
     */
    public TrainingVerticle(ServerConfig config, RunRegistry registry, RunFactory factory, RunRecords storage,
                            String commands, String demand) {
        this.commands = commands;
        this.demand = demand;
        this.config = config;
        this.registry = registry;
        this.factory = factory;
        this.storage = storage;
    }

    /** A storage call that must not stop a run when it fails (a full disk, no memory left): the failure is logged. */
    private interface Storing {
        void run() throws Exception;
    }

    /**
     * Runs {@code action}; returns null, or the failure logged (an {@link OutOfMemoryError} included: the
     * allocation that failed is gone, and the run's record must still be written).
     */
    private static Throwable store(String what, Storing action) {
        try {
            action.run();
            return null;
        } catch (Exception | OutOfMemoryError e) {
            LOG.log(System.Logger.Level.WARNING, "could not store " + what + ": " + e, e);
            return e;
        }
    }

    @Override
    public Future<?> start() {
        // As many threads as cores (never more than may run): several runs' chunks then wait their turn, the least
        // served first (Turns), instead of as many threads as runs left to the operating system's scheduler, which on
        // a loaded machine let one of four runs train 27 % more than another.
        int threads = Math.max(1, Math.min(config.maxRunning(), Runtime.getRuntime().availableProcessors()));
        // One single-thread executor a thread, so that Turns can keep a run on the thread it ran on.
        trainers = new WorkerExecutor[threads];
        for (int i = 0; i < threads; i++) {
            trainers[i] = vertx.createSharedWorkerExecutor("trainscope-training-" + i, 1);
        }
        turns = new Turns<>(threads);
        publisher = new RunPublisher(vertx.eventBus(), config.maxLivePoints());
        records = new RecordCommands(storage, registry, publisher);
        checkpoints = new Checkpoints(vertx, storage, config.keepMillis());
        starts = new RunStarts(vertx, config, registry, factory, storage, publisher, new RunStarts.Slots() {
            @Override
            public long live() {
                return active.stream().filter(r -> r.status().live()).count();
            }

            @Override
            public void launch(Run run) {
                active.add(run);
                publisher.publishState(run);
                publishViews(run, run.firstViews());
                next(run);
            }
        });
        // The runs a previous server left queued wait again before any new start is taken.
        return starts.requeue().compose(requeued -> {
            MessageConsumer<RunCommand> consumer = vertx.eventBus().localConsumer(commands, this::onCommand);
            vertx.eventBus().<ViewDemand>localConsumer(demand, message -> onDemand(message.body()));
            vertx.setPeriodic(Math.max(1, 1000 / config.pushRate()), id -> pushAll());
            return consumer.completion();
        }).onSuccess(ready -> starts.schedule());
    }

    /**
     * Live runs stay live in storage: the next start shows them as interrupted, which they were. The chunks in flight
     * are let return first (within an iteration; at most {@link #DRAIN_MILLIS}), so that none completes into a
     * closed executor.
     */
    @Override
    public Future<?> stop() {
        stopping = true;
        starts.stopping();
        for (Run run : active) {
            run.interrupt(true);
        }
        drained = Promise.promise();
        long timer = vertx.setTimer(DRAIN_MILLIS, id -> drained.tryComplete());
        checkDrained();
        return drained.future().compose(done -> {
            vertx.cancelTimer(timer);
            return Future.all(Arrays.stream(trainers).map(WorkerExecutor::close).toList());
        }).compose(closed -> checkpoints.close());
    }

    private void checkDrained() {
        if (drained != null && active.stream().noneMatch(r -> r.chunkInFlight)) {
            drained.tryComplete();
        }
    }

    private void onCommand(Message<RunCommand> message) {
        RunCommand command = message.body();
        if (command.kind() == RunCommand.Kind.START) {
            starts.start(message, command.runs());
            return;
        }
        Run run = registry.find(command.runId());
        // A set names its run among its other fields; the older commands' refusals name no field.
        String runField = command.kind() == RunCommand.Kind.SET ? "runId" : null;
        if (run == null) {
            message.reply(new CommandReply(null, 404, "no run with id " + command.runId(), runField));
            return;
        }
        String refusal = run.refusal(command.kind());
        if (refusal != null) {
            message.reply(new CommandReply(null, 409, refusal, runField));
            return;
        }
        if (command.kind() == RunCommand.Kind.RENAME) {
            message.reply(records.rename(run, command.name()));
            return;
        }
        if (command.kind() == RunCommand.Kind.DELETE) {
            CommandReply deleted = records.delete(run);
            if (deleted.succeeded()) {
                active.remove(run);
                turns.forget(run);
                unstored.remove(run);
                starts.forget(run);
            }
            message.reply(deleted);
            return;
        }
        if (command.kind() == RunCommand.Kind.STOP && run.status() == RunStatus.QUEUED) {
            // It ends without training, even while its network is being made (that network goes unused).
            message.reply(CommandReply.ok(starts.drop(run, RunStatus.STOPPED, null), 200));
            return;
        }
        if (run.chunkInFlight) {
            // Acts when the chunk returns, within one iteration: stop, pause and set end it early.
            if (command.kind() == RunCommand.Kind.STOP || command.kind() == RunCommand.Kind.PAUSE
                    || command.kind() == RunCommand.Kind.SET) {
                run.interrupt(true);
            }
            run.deferred.add(message);
            return;
        }
        switch (command.kind()) {
            case STOP -> {
                // The reply goes before the final parameters are written: on a large network that is a few
                // hundred ms of rarely run (so interpreted) encoding, and training has already stopped.
                markEnded(run, RunStatus.STOPPED, null);
                message.reply(CommandReply.ok(run.refresh(), 200));
                keepEnd(run, RunStatus.STOPPED, null);
            }
            case PAUSE -> {
                run.pause();
                cancelTimer(run);
                publisher.flush(run);
                store("the pause of " + run.id(), () -> storage.status(run.id(), RunStatus.PAUSED, null,
                        run.clock().elapsedMs()));
                message.reply(CommandReply.ok(publisher.publishState(run), 200));
                // What a crash would lose of a paused run is what it trained since its last kept parameters.
                checkpoints.maybeKeep(run, true);
            }
            case RESUME -> {
                run.resume();
                store("the resumption of " + run.id(), () -> storage.status(run.id(), RunStatus.RUNNING, null,
                        run.clock().elapsedMs()));
                message.reply(CommandReply.ok(publisher.publishState(run), 200));
                next(run);
            }
            case STEP -> submit(run, 1).onComplete(done -> {
                if (run.status() == RunStatus.PAUSED) {
                    publisher.flush(run);
                    publisher.publishState(run);
                }
                message.reply(CommandReply.ok(run.snapshot(), 200));
            });
            case SET -> message.reply(records.setLearningRate(run, command.learningRate()));
            case GRADIENT_CHECK -> gradientCheck(run, message);
            default -> throw new IllegalStateException(command.kind().toString());
        }
    }

    /** Schedules the next chunk of a running run: now, or when its pace makes the next iteration due. */
    private void next(Run run) {
        if (run.status() != RunStatus.RUNNING || run.chunkInFlight || run.timerId >= 0) {
            return;
        }
        RunClock clock = run.clock();
        if (clock.pace() <= 0) {
            submit(run, Long.MAX_VALUE);
            return;
        }
        long due = clock.paceDue(run.trained());
        if (due > 0) {
            submit(run, due);
        } else {
            long delayMs = Math.max(1, clock.nanosUntilDue(run.trained()) / 1_000_000);
            run.timerId = vertx.setTimer(delayMs, id -> {
                run.timerId = -1;
                next(run);
            });
        }
    }

    private Future<Void> submit(Run run, long maxIterations) {
        if (stopping) {
            return Future.failedFuture("the server is stopping");
        }
        run.chunkInFlight = true;
        long budget = config.chunkMillis() * 1_000_000L;
        long before = run.trained();
        Promise<String> trained = Promise.promise();
        turns.ask(run, thread -> trainers[thread].executeBlocking(() -> run.train(budget, maxIterations), false)
                .onComplete(chunk -> {
                    turns.finished(run, (run.trained() - before) * run.workPerIteration());
                    trained.handle(chunk);
                }));
        return trained.future()
                .andThen(chunk -> afterChunk(run, chunk.failed() ? failure(run, chunk.cause()) : chunk.result()))
                .mapEmpty();
    }

    private void afterChunk(Run run, String failure) {
        run.chunkInFlight = false;
        run.interrupt(false);
        publishViews(run, run.taken());
        if (failure != null) {
            end(run, RunStatus.FAILED, failure);
        } else if (run.complete() && run.status().live()) {
            end(run, RunStatus.FINISHED, null);
        }
        while (!run.deferred.isEmpty() && !run.chunkInFlight) {
            onCommand(run.deferred.poll());
        }
        if (!run.chunkInFlight && !stopping) {
            checkpoints.maybeKeep(run, false);
        }
        next(run);
        checkDrained();
    }

    /** Why a chunk of {@code run} failed, as the run's reason says it to its viewers. */
    private String failure(Run run, Throwable cause) {
        LOG.log(System.Logger.Level.WARNING, "run " + run.id() + "'s training failed: " + cause, cause);
        if (cause instanceof java.io.UncheckedIOException) {
            // Its store refuses points now: those it has are all it will ever have.
            run.pointsFinal();
            return "its points could not be stored: " + storage.describe(cause);
        }
        if (cause instanceof OutOfMemoryError) {
            return "the server ran out of memory while training it (give the JVM more with -Xmx, or train a smaller network)";
        }
        return "training failed: " + cause;
    }

    /**
     * Ends a run whose last chunk has returned: its final parameters are kept (a stopped or finished run's,
     * which a new run may start from), then its status, which writes its last points and stops its writer.
     */
    private void end(Run run, RunStatus status, String reason) {
        markEnded(run, status, reason);
        keepEnd(run, status, reason);
    }

    /** The run's new status; others see it at its next {@link Run#refresh}. */
    private void markEnded(Run run, RunStatus status, String reason) {
        run.end(status, reason);
        cancelTimer(run);
    }

    /**
     * Writes an ended run's parameters, lets its network go, writes its status (retried until it is stored, see
     * {@link #storeEnds}), then publishes its final state once every point is pushed.
     */
    private void keepEnd(Run run, RunStatus status, String reason) {
        keepLastViews(run);
        if (status == RunStatus.STOPPED || status == RunStatus.FINISHED) {
            store("the parameters of " + run.id(), () -> {
                if (storage.saveParameters(run.id(), run::writeParameters)) {
                    run.parametersKept();
                    checkpoints.drop(run);
                }
            });
        }
        run.release();
        Throwable failed = store("the end of " + run.id(), () -> storage.status(run.id(), status, reason,
                run.clock().elapsedMs()));
        if (failed != null) {
            // Whatever could not be written never will be; the run's end waits for no more points.
            run.pointsFinal();
            run.storageProblem("its end is not stored yet (" + storage.describe(failed) + "); retrying");
            unstored.add(run);
        }
        publisher.flush(run);
        run.refresh();
        publishEndWhenComplete(run);
        // Its slot is free: the oldest queued run takes it.
        starts.schedule();
    }

    /**
     * Retries, at most once a second, the status of ended runs whose record could not be written (a full disk):
     * until then their state says so ({@code storageProblem}), and once it is stored it agrees with their record.
     */
    private void storeEnds() {
        long now = System.nanoTime();
        if (unstored.isEmpty() || now - lastStoreRetry < 1_000_000_000L) {
            return;
        }
        lastStoreRetry = now;
        for (Run run : List.copyOf(unstored)) {
            try {
                storage.status(run.id(), run.status(), run.reason(), run.clock().elapsedMs());
            } catch (Exception | OutOfMemoryError e) {
                continue;
            }
            LOG.log(System.Logger.Level.INFO, "the end of run " + run.id() + " is stored now");
            unstored.remove(run);
            run.storageProblem(null);
            publisher.publishState(run);
        }
    }

    /** Publishes an ended run's final state once every point it trained has been pushed before it. */
    private void publishEndWhenComplete(Run run) {
        if (run.endReady()) {
            publisher.flush(run);
            run.ended();
            publisher.publishState(run);
            active.remove(run);
            turns.forget(run);
        }
    }

    private void cancelTimer(Run run) {
        if (run.timerId >= 0) {
            vertx.cancelTimer(run.timerId);
            run.timerId = -1;
        }
    }

    private void pushAll() {
        long now = System.nanoTime();
        for (Run run : List.copyOf(active)) {
            if (run.status() == RunStatus.PAUSED) {
                takeViewsWhilePaused(run, now);
            }
            run.clock().measureRate(run.trained());
            publisher.flush(run);
            publishEndWhenComplete(run);
        }
        storeEnds();
    }

    /**
     * The views the web side wants of a run from now on. A paused run trains no chunk to compute them at, so one is
     * computed at once (on the training executor, like a chunk); a running run's come at its next chunk's end.
     */
    private void onDemand(ViewDemand demand) {
        Run run = registry.find(demand.runId());
        RunViews views = run == null ? null : run.views();
        if (views == null) {
            return;
        }
        views.want(demand.views());
        if (run.status() == RunStatus.PAUSED) {
            takeViewsWhilePaused(run, System.nanoTime());
        }
    }

    /** A chunk of no iterations that computes a paused run's views, when some are due or newly wanted. */
    private void takeViewsWhilePaused(Run run, long now) {
        RunViews views = run.views();
        if (stopping || run.chunkInFlight || views == null || !views.pending(run.trained(), now)) {
            return;
        }
        run.chunkInFlight = true;
        turns.ask(run, thread -> trainers[thread].executeBlocking(() -> {
            run.takeViews();
            return null;
        }, false).onComplete(done -> {
            turns.finished(run, 0);
            afterChunk(run, done.failed() ? failure(run, done.cause()) : null);
        }));
    }

    /** Publishes the snapshots a chunk computed of a run's wanted views, and stores the histograms it keeps. */
    private void publishViews(Run run, RunViews.Taken taken) {
        if (taken.isEmpty()) {
            return;
        }
        for (ViewSnapshot snapshot : taken.published()) {
            vertx.eventBus().publish(Addresses.SNAPSHOTS, snapshot);
        }
        RunViews views = run.views();
        if (!taken.kept().isEmpty() && views != null) {
            store("the histograms of " + run.id(), () -> storage.histograms(run.id(), taken.kept(),
                    views.kept().histograms(), taken.thinned()));
        }
    }

    /**
     * As a run ends, with no chunk in flight and before its trainer is let go: its last histograms, boundary and
     * network, published to whoever wants them and kept; once storage holds them, memory lets them go.
     */
    private void keepLastViews(Run run) {
        RunViews views = run.views();
        if (views == null) {
            return;
        }
        RunViews.Taken last = run.lastViews();
        publishViews(run, last);
        KeptViews kept = views.kept();
        Throwable failed;
        synchronized (run.viewsFile) {
            failed = store("the last views of " + run.id(), () -> storage.lastViews(run.id(), kept.data(),
                    kept.boundary(), kept.network()));
            run.endViewsWritten = true;
        }
        if (failed == null && storage.kept(run.id()) != null) {
            run.viewsStored();
        }
    }

    /**
     * Backprop against finite differences on a copy of the run's parameters, made here with no chunk in flight, and
     * checked on a worker while the run trains on; one check of a run at a time ({@link GradientCheck.Sampling#BOUNDED}
     * bounds each).
     */
    private void gradientCheck(Run run, Message<RunCommand> message) {
        if (run.checking) {
            message.reply(CommandReply.refused(409, "a gradient check of run " + run.id()
                    + " is under way; ask again when it has answered"));
            return;
        }
        run.checking = true;
        Network copy = run.copyNetwork();
        Dataset data = run.trainingData();
        long iteration = run.trained();
        vertx.<GradientCheckReport>executeBlocking(() -> {
            long started = System.nanoTime();
            GradientCheck.Result result = GradientCheck.check(copy, data, GradientCheck.Sampling.BOUNDED);
            return new GradientCheckReport(run.id(), iteration, result, (System.nanoTime() - started) / 1_000_000);
        }, false).onComplete(done -> {
            run.checking = false;
            message.reply(done.succeeded() ? CommandReply.checked(run.snapshot(), done.result())
                    : CommandReply.refused(500, "the gradient check failed: " + done.cause()));
        });
    }
}
