package io.trainscope.server.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.history.History;
import io.trainscope.run.RunStatus;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.bus.CommandReply;
import io.trainscope.server.bus.KeptViews;
import io.trainscope.server.bus.NewRun;
import io.trainscope.server.bus.RunCommand;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.spec.SpecException;
import io.trainscope.spec.SpecParser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * How runs start (docs/protocol.md, "Several runs at once"): a start's specs (one, or a sweep's) are read and checked
 * off the training verticle's context, and one bad spec refuses them all, naming it; then each starts in a free
 * slot ({@code --max-running}) or waits in the {@link RunQueue}, all at once or none (a full queue refuses the whole
 * start). Queued runs start, oldest first, as slots free; a queued run may be stopped (it ends without training) or
 * deleted, and after a restart the queued runs wait again, in their order. On the training verticle's context.
 */
final class RunStarts {

    /** What the training verticle lends: its slots, and how a run that has its network starts training. */
    interface Slots {
        /** Runs holding a slot: running or paused. */
        long live();

        /** A run that has just begun: it is trained, pushed and published from now on. */
        void launch(Run run);
    }

    /** A spec read and checked: what to make the run from, what it shows, and its spec as given (for the queue). */
    private record Checked(NewRun asked, double pace, RunFactory.Checked run, JsonNode shown, String given) {
    }

    private static final System.Logger LOG = System.getLogger(RunStarts.class.getName());

    private final Vertx vertx;
    private final ServerConfig config;
    private final RunRegistry registry;
    private final RunFactory factory;
    private final RunRecords storage;
    private final RunPublisher publisher;
    private final Slots slots;
    private final RunQueue queue;
    /** The kept histograms all this server's runs hold in memory, bounded (HistogramKeeper). */
    private final HistogramKeeper.Held histogramsHeld = new HistogramKeeper.Held(HistogramKeeper.SERVER_MAX_LAYER_SNAPSHOTS);
    /** Runs whose network is being made for a slot: they hold it already. */
    private int starting;
    private boolean stopping;

    RunStarts(Vertx vertx, ServerConfig config, RunRegistry registry, RunFactory factory, RunRecords storage,
              RunPublisher publisher, Slots slots) {
        this.vertx = vertx;
        this.config = config;
        this.registry = registry;
        this.factory = factory;
        this.storage = storage;
        this.publisher = publisher;
        this.slots = slots;
        this.queue = new RunQueue(config.maxQueued());
    }

    private int free() {
        return (int) Math.max(0, config.maxRunning() - slots.live() - starting);
    }

    /** A start of {@code asked} (one run, or a sweep's): checked, then each started or queued; or none, and why. */
    void start(Message<RunCommand> message, List<NewRun> asked) {
        // Reading a spec can take a second (megabytes of inline data), and startFrom reads a file: not on this context,
        // which answers control commands for every run.
        vertx.<List<Checked>>executeBlocking(() -> {
            List<Checked> checked = new ArrayList<>(asked.size());
            for (NewRun run : asked) {
                checked.add(check(run));
            }
            return checked;
        }, false).onComplete(read -> {
            if (read.failed()) {
                message.reply(read.cause() instanceof SpecException e ? CommandReply.invalid(e)
                        : CommandReply.refused(400, "the spec could not be read: " + read.cause().getMessage()));
                return;
            }
            admit(message, read.result());
        });
    }

    private Checked check(NewRun asked) throws SpecException {
        try {
            ObjectNode spec = asked.spec().deepCopy();
            String given = spec.toString();
            double pace = Pace.take(spec);
            String source = StartFrom.take(spec);
            RunRecords.Kept kept = source == null ? null : StartFrom.resolve(spec, source, registry, storage);
            RunFactory.Checked run = factory.check(spec);
            JsonNode shown = kept == null ? run.spec() : StartFrom.shown(run.spec(), source, kept.at());
            return new Checked(asked, pace, run, shown, given);
        } catch (SpecException e) {
            throw asked.path() == null ? e : e.within(asked.path());
        }
    }

    /**
     * Every spec passed: the first ones take the free slots (none while others wait in the queue: they came first),
     * the rest are queued; all are registered in the order asked, once the ones that start have their networks.
     */
    private void admit(Message<RunCommand> message, List<Checked> specs) {
        int now = queue.isEmpty() ? Math.min(free(), specs.size()) : 0;
        int later = specs.size() - now;
        long laterBytes = 0;
        for (Checked spec : specs.subList(now, specs.size())) {
            laterBytes += spec.given().length();
        }
        String full = later == 0 ? null : queue.refusal(later, laterBytes);
        if (full != null) {
            message.reply(CommandReply.refused(409, "the server trains at most " + config.maxRunning() + " run"
                    + (config.maxRunning() == 1 ? "" : "s") + " at once (--max-running), and " + full));
            return;
        }
        starting += now;
        long reservedBytes = laterBytes;
        queue.reserve(later, reservedBytes);
        List<Future<PreparedRun>> prepared = new ArrayList<>(now);
        for (Checked spec : specs.subList(0, now)) {
            prepared.add(vertx.executeBlocking(spec.run()::prepare, false));
        }
        Future.join(prepared).onComplete(done -> {
            starting -= now;
            queue.release(later, reservedBytes);
            for (int i = 0; i < now; i++) {
                if (prepared.get(i).failed()) {
                    message.reply(unprepared(specs.get(i).asked(), prepared.get(i).cause()));
                    schedule();
                    return;
                }
            }
            List<RunSnapshot> made = new ArrayList<>(specs.size());
            for (int i = 0; i < specs.size(); i++) {
                Checked spec = specs.get(i);
                String id = registry.newId();
                try {
                    made.add(i < now ? begin(id, spec, prepared.get(i).result()) : enqueue(id, spec));
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "could not store run " + id + ": " + e.getMessage(), e);
                    String which = spec.asked().path() == null ? "" : " (" + spec.asked().path() + "; the "
                            + made.size() + " before it were " + (made.size() == 1 ? "started" : "all started or queued") + ")";
                    message.reply(CommandReply.refused(500, "the run could not be stored" + which + ": " + storage.describe(e)));
                    schedule();
                    return;
                }
            }
            message.reply(CommandReply.started(made));
            schedule();
        });
    }

    private static CommandReply unprepared(NewRun asked, Throwable cause) {
        if (cause instanceof SpecException e) {
            return CommandReply.invalid(asked.path() == null ? e : e.within(asked.path()));
        }
        return CommandReply.refused(400, "the run could not be prepared"
                + (asked.path() == null ? "" : " (" + asked.path() + ")") + ": " + cause.getMessage());
    }

    /** The spec a run keeps on disk and shows: as made, with its pace (restored with it after a restart). */
    private static JsonNode withPace(JsonNode shown, double pace) {
        return pace > 0 && shown instanceof ObjectNode object ? object.deepCopy().put(Pace.FIELD, pace) : shown;
    }

    /** A run that has its network and a slot: stored, registered, and training from now. */
    private RunSnapshot begin(String id, Checked spec, PreparedRun ready) throws IOException {
        History history = storage.create(id, withPace(spec.shown(), spec.pace()), ready.trainer().network().depth(), null,
                spec.asked().sweep());
        Run run = new Run(id, new PreparedRun(ready.trainer(), spec.shown(), ready.description(), ready.iterations()),
                spec.pace(), history, config.snapshotRate(), kept(id));
        run.chargeHistogramsTo(histogramsHeld);
        run.sweep(spec.asked().sweep());
        registry.add(run);
        slots.launch(run);
        return run.snapshot();
    }

    /** A run that waits for a slot: stored with its spec as given, registered, and published as queued. */
    private RunSnapshot enqueue(String id, Checked spec) throws IOException {
        History history = storage.create(id, withPace(spec.shown(), spec.pace()), spec.run().depth(), spec.given(),
                spec.asked().sweep());
        Run run = new Run(id, spec.shown(), spec.run().description(), spec.run().iterations(), spec.pace(), history,
                System.currentTimeMillis(), config.snapshotRate(), kept(id));
        run.chargeHistogramsTo(histogramsHeld);
        run.sweep(spec.asked().sweep());
        registry.add(run);
        queue.add(run, spec.run(), spec.given().length());
        return publisher.publishState(run);
    }

    /** Starts queued runs, oldest first, while slots are free: after a run ends, and after every start. */
    void schedule() {
        while (!stopping && !queue.isEmpty() && free() > 0) {
            RunQueue.Entry next = queue.poll();
            Run run = next.run();
            starting++;
            run.preparing = true;
            vertx.executeBlocking(next.checked()::prepare, false).onComplete(prepared -> {
                starting--;
                run.preparing = false;
                // Stopped while its network was being made: that network goes unused.
                if (run.status() == RunStatus.QUEUED && !stopping) {
                    if (prepared.failed()) {
                        drop(run, RunStatus.FAILED, "it could not be prepared: " + prepared.cause().getMessage());
                    } else {
                        leaveQueue(run, prepared.result());
                    }
                }
                schedule();
            });
        }
    }

    private void leaveQueue(Run run, PreparedRun prepared) {
        try {
            storage.started(run.id());
        } catch (IOException | RuntimeException e) {
            // It trains all the same; after a crash its record, still queued, would have it wait (and train) again.
            LOG.log(System.Logger.Level.WARNING, "could not store the start of run " + run.id() + ": " + e, e);
        }
        run.begin(prepared);
        slots.launch(run);
    }

    /** A queued run ends without training: stopped by a user, or failed when its spec was refused on starting. */
    RunSnapshot drop(Run run, RunStatus status, String reason) {
        queue.remove(run);
        run.dropFromQueue(status, reason);
        try {
            storage.status(run.id(), status, reason, 0);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not store the end of queued run " + run.id() + ": " + e, e);
        }
        return publisher.publishState(run);
    }

    /** A queued run was deleted: it waits no more. */
    void forget(Run run) {
        queue.remove(run);
    }

    /**
     * At start-up: the runs a previous server left queued wait again, in their order, checked again from their
     * specs as given (a spec this server refuses, say with smaller limits, fails naming why).
     */
    Future<Void> requeue() {
        List<Run> waiting = new ArrayList<>();
        for (Run run : registry.runs()) {
            if (run.status() == RunStatus.QUEUED) {
                waiting.add(run);
            }
        }
        if (waiting.isEmpty()) {
            return Future.succeededFuture();
        }
        return vertx.<List<Object>>executeBlocking(() -> {
            List<Object> read = new ArrayList<>(waiting.size());
            for (Run run : waiting) {
                try {
                    ObjectNode given = (ObjectNode) SpecParser.readTree(storage.queuedSpec(run.id()));
                    read.add(check(new NewRun(given, null, run.snapshot().sweep())));
                } catch (SpecException | IOException | RuntimeException e) {
                    read.add(e);
                }
            }
            return read;
        }, false).map(read -> {
            for (int i = 0; i < waiting.size(); i++) {
                Run old = waiting.get(i);
                Object result = read.get(i);
                Run fresh = result instanceof Checked spec ? requeued(old, spec) : null;
                if (fresh == null) {
                    String why = result instanceof Throwable e ? e.getMessage() : "its points could not be reopened";
                    drop(old, RunStatus.FAILED, "it was queued when the server restarted, and could not be queued again: "
                            + why);
                }
            }
            return null;
        });
    }

    private Run requeued(Run old, Checked spec) {
        History history;
        try {
            history = storage.reopen(old.id());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not reopen queued run " + old.id() + ": " + e, e);
            return null;
        }
        RunSnapshot was = old.snapshot();
        Run run = new Run(old.id(), spec.shown(), spec.run().description(), spec.run().iterations(), spec.pace(),
                history, was.createdAt(), config.snapshotRate(), kept(old.id()));
        run.chargeHistogramsTo(histogramsHeld);
        run.sweep(was.sweep());
        run.name(was.name());
        run.refresh();
        registry.replace(old, run);
        queue.add(run, spec.run(), spec.given().length());
        return run;
    }

    /** The server is stopping: no queued run starts any more (they stay queued on disk). */
    void stopping() {
        stopping = true;
    }

    /** What storage will keep of a run's views ({@link KeptViews#NONE} without a data directory). */
    private KeptViews kept(String id) {
        KeptViews kept = storage.kept(id);
        return kept == null ? KeptViews.NONE : kept;
    }
}
