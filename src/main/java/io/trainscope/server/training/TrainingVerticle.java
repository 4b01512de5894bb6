package io.trainscope.server.training;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.run.RunStatus;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.bus.Addresses;
import io.trainscope.server.bus.CommandReply;
import io.trainscope.server.bus.RunCommand;
import io.trainscope.spec.SpecException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Owns the runs: starts them, trains them, obeys stop/pause/resume/step, and publishes their states and
 * (at the push rate) their new points through its {@link RunPublisher}; {@link RecordCommands} carries out
 * set, rename and delete. Deployed as a worker; all of its handlers run on its one context, so the control
 * state needs no locks.
 *
 * <p>Why chunks rather than a thread per run: a run trains in chunks of at most {@code chunkMillis} (plus the
 * iteration in progress) on a worker executor with one thread per allowed running run. Between chunks the
 * control state is only ever touched on this context, so stop/pause/step are plain state changes with no
 * races to reason about, and a command waits at most one chunk: 25 ms plus one iteration (40 ms on
 * [784,256,128,1] × 2048) is well inside the 100 ms target. A chunk is also interrupted at the next iteration
 * boundary through a volatile flag. The cost is one task hand-off per chunk, ~40 a second: nothing next to
 * the training. No thread ever runs longer than a chunk, so the blocked-thread checker has nothing to flag.
 */
public final class TrainingVerticle extends VerticleBase {

    private final String commands;
    private final ServerConfig config;
    private final RunRegistry registry;
    private final RunFactory factory;
    private final RunRecords storage;
    /** Runs that are live or still have points to push. */
    private final List<Run> active = new ArrayList<>();
    private WorkerExecutor trainers;
    private RunPublisher publisher;
    private RecordCommands records;
    private int starting;
    /** Ended runs whose status could not be stored yet. */
    private final List<Run> unstored = new ArrayList<>();
    private long lastStoreRetry;
    /** Undeploying: no chunk is started any more (the executor is closing). */
    private boolean stopping;

    private static final System.Logger LOG = System.getLogger(TrainingVerticle.class.getName());

    public TrainingVerticle(ServerConfig config, RunRegistry registry, RunFactory factory, RunRecords storage) {
        this(config, registry, factory, storage, Addresses.COMMANDS);
    }

    /** Taking its commands on {@code commands}: a clustered node routes {@link Addresses#COMMANDS} first. */
    public TrainingVerticle(ServerConfig config, RunRegistry registry, RunFactory factory, RunRecords storage,
                            String commands) {
        this.commands = commands;
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
        trainers = vertx.createSharedWorkerExecutor("trainscope-training", config.maxRunning());
        publisher = new RunPublisher(vertx.eventBus(), config.maxLivePoints());
        records = new RecordCommands(storage, registry, publisher);
        MessageConsumer<RunCommand> consumer = vertx.eventBus().localConsumer(commands, this::onCommand);
        vertx.setPeriodic(Math.max(1, 1000 / config.pushRate()), id -> pushAll());
        return consumer.completion();
    }

    /** Live runs stay live in storage: the next start shows them as interrupted, which they were. */
    @Override
    public Future<?> stop() {
        stopping = true;
        for (Run run : active) {
            run.interrupt(true);
        }
        return trainers.close();
    }

    private void onCommand(Message<RunCommand> message) {
        RunCommand command = message.body();
        if (command.kind() == RunCommand.Kind.START) {
            start(message, command.spec());
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
                unstored.remove(run);
            }
            message.reply(deleted);
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
                store("the pause of " + run.id(), () -> storage.status(run.id(), RunStatus.PAUSED, null));
                message.reply(CommandReply.ok(publisher.publishState(run), 200));
            }
            case RESUME -> {
                run.resume();
                store("the resumption of " + run.id(), () -> storage.status(run.id(), RunStatus.RUNNING, null));
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
            default -> throw new IllegalStateException(command.kind().toString());
        }
    }

    /** A spec read and checked, and the pace taken out of it. */
    private record CheckedSpec(double pace, RunFactory.Checked run) {
    }

    private void start(Message<RunCommand> message, ObjectNode given) {
        // Reading a spec can take a second (megabytes of inline data): not on this context, which answers control
        // commands for every run.
        vertx.<CheckedSpec>executeBlocking(() -> {
            ObjectNode spec = given.deepCopy();
            double pace = Pace.take(spec);
            return new CheckedSpec(pace, factory.check(spec));
        }, false).onComplete(read -> {
            if (read.failed()) {
                message.reply(read.cause() instanceof SpecException e ? CommandReply.invalid(e)
                        : CommandReply.refused(400, "the spec could not be read: " + read.cause().getMessage()));
                return;
            }
            prepare(message, read.result());
        });
    }

    private void prepare(Message<RunCommand> message, CheckedSpec spec) {
        double pace = spec.pace();
        RunFactory.Checked checked = spec.run();
        long live = active.stream().filter(r -> r.status().live()).count();
        if (live + starting >= config.maxRunning()) {
            message.reply(CommandReply.refused(409, "the server trains at most " + config.maxRunning()
                    + " run" + (config.maxRunning() == 1 ? "" : "s") + " at once (--max-running);"
                    + " stop a running or paused run first"));
            return;
        }
        starting++;
        vertx.executeBlocking(checked::prepare, false).onComplete(prepared -> {
            starting--;
            if (prepared.failed()) {
                message.reply(prepared.cause() instanceof SpecException e ? CommandReply.invalid(e)
                        : CommandReply.refused(400, "the run could not be prepared: " + prepared.cause().getMessage()));
                return;
            }
            PreparedRun ready = prepared.result();
            String id = registry.newId();
            io.trainscope.history.History history;
            try {
                history = storage.create(id, ready.spec(), ready.trainer().network().depth());
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not store run " + id + ": " + e.getMessage(), e);
                message.reply(CommandReply.refused(500, "the run could not be stored: " + storage.describe(e)));
                return;
            }
            Run run = new Run(id, ready, pace, history);
            registry.add(run);
            active.add(run);
            message.reply(CommandReply.ok(publisher.publishState(run), 201));
            next(run);
        });
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
        return trainers.executeBlocking(() -> run.train(budget, maxIterations), false)
                .andThen(trained -> afterChunk(run, trained.failed() ? failure(run, trained.cause()) : trained.result()))
                .mapEmpty();
    }

    private void afterChunk(Run run, String failure) {
        run.chunkInFlight = false;
        run.interrupt(false);
        if (failure != null) {
            end(run, RunStatus.FAILED, failure);
        } else if (run.complete() && run.status().live()) {
            end(run, RunStatus.FINISHED, null);
        }
        while (!run.deferred.isEmpty() && !run.chunkInFlight) {
            onCommand(run.deferred.poll());
        }
        next(run);
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
        if (status == RunStatus.STOPPED || status == RunStatus.FINISHED) {
            store("the parameters of " + run.id(), () -> {
                if (storage.saveParameters(run.id(), run::writeParameters)) {
                    run.parametersKept();
                }
            });
        }
        run.release();
        Throwable failed = store("the end of " + run.id(), () -> storage.status(run.id(), status, reason));
        if (failed != null) {
            // Whatever could not be written never will be; the run's end waits for no more points.
            run.pointsFinal();
            run.storageProblem("its end is not stored yet (" + storage.describe(failed) + "); retrying");
            unstored.add(run);
        }
        publisher.flush(run);
        run.refresh();
        publishEndWhenComplete(run);
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
                storage.status(run.id(), run.status(), run.reason());
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
        }
    }

    private void cancelTimer(Run run) {
        if (run.timerId >= 0) {
            vertx.cancelTimer(run.timerId);
            run.timerId = -1;
        }
    }

    private void pushAll() {
        for (Run run : List.copyOf(active)) {
            run.clock().measureRate(run.trained());
            publisher.flush(run);
            publishEndWhenComplete(run);
        }
        storeEnds();
    }
}
