package io.trainscope.server.training;

import io.trainscope.nn.Network;
import io.trainscope.nn.Trainer;
import io.trainscope.spec.ParametersJson;
import io.trainscope.spec.RunSpec;
import io.trainscope.store.Checkpoint;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

/**
 * Keeps each live run's parameters on disk every few seconds ({@code checkpoint.json}, docs/storage.md), so that a
 * run cut short by a crash can be continued from close to where it was ({@code startFrom}, docs/protocol.md).
 *
 * <p>On the training verticle's context, between two chunks of the run, the parameters are copied (the next chunk
 * waits for the copy only: about 3 ms for a million parameters); a thread of their own writes them, with the run's
 * progress, while it trains on. One write at a time for all runs, and at most one waiting per run, so that keeping
 * them never adds up: a run is kept again {@code interval} after the previous one at the soonest, and never sooner
 * than {@link #SPACING} times as long as its last write took, so a large network's parameters (200 MB of text for
 * ten million) take at most a twentieth of one core. With the parameters, the same write keeps the run's boundary
 * and network of them ({@code views.json}, computed there from a copy of the network), so that a run cut short by a
 * crash still shows them after a restart; the views written as the run ends are never replaced by a checkpoint's.
 */
final class Checkpoints {

    /** A keep takes at most 1/SPACING of the time between two of the same run. */
    static final int SPACING = 20;

    private static final System.Logger LOG = System.getLogger(Checkpoints.class.getName());

    private final RunRecords storage;
    private final WorkerExecutor writer;
    private final long intervalNanos;

    Checkpoints(Vertx vertx, RunRecords storage, long intervalMillis) {
        this.storage = storage;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.writer = vertx.createSharedWorkerExecutor("trainscope-keeping", 1);
    }

    /**
     * Keeps {@code run}'s parameters when it is due, or at once when {@code now} (a pause: what a crash would lose is
     * what it trained since the last one). On the verticle context, with no chunk of the run in flight.
     */
    void maybeKeep(Run run, boolean now) {
        Trainer trainer = run.trainer();
        if (!storage.keepsCheckpoints() || trainer == null || !run.status().live() || run.checkpointing) {
            return;
        }
        long at = System.nanoTime();
        if (run.checkpointDueNanos == 0) {
            // The first is due an interval after it began: a run that ends sooner has its final parameters instead.
            run.checkpointDueNanos = at + intervalNanos;
        }
        Checkpoint last = run.checkpoint();
        long iteration = run.trained();
        if ((!now && at - run.checkpointDueNanos < 0) || (last != null && last.iteration() == iteration)) {
            return;
        }
        RunSpec.Parameters parameters = ParametersJson.of(trainer.network());
        if (!ParametersJson.finite(parameters)) {
            // Parameters that diverged are of no use to start from; the last finite ones stay kept.
            run.checkpointDueNanos = at + intervalNanos;
            return;
        }
        int[] layers = trainer.network().sizes();
        Checkpoint kept = new Checkpoint(iteration, trainer.learningRate(), System.currentTimeMillis());
        long elapsedMs = run.clock().elapsedMs();
        RunViews views = run.views();
        Network copy = views == null ? null : trainer.network().copy();
        run.checkpointing = true;
        writer.<Long>executeBlocking(() -> {
            long start = System.nanoTime();
            storage.checkpoint(run.id(), kept, out -> ParametersJson.write(out, parameters, layers), elapsedMs);
            if (copy != null) {
                keepViews(run, views, copy, iteration);
            }
            return System.nanoTime() - start;
        }, false).onComplete(written -> {
            run.checkpointing = false;
            long took = written.succeeded() ? written.result() : 0;
            run.checkpointDueNanos = System.nanoTime() + Math.max(intervalNanos, SPACING * took);
            if (written.succeeded()) {
                run.checkpointWriteNanos = took;
                run.checkpointKept(kept);
            } else {
                LOG.log(System.Logger.Level.WARNING, "could not keep the parameters of run " + run.id() + ": "
                        + storage.describe(written.cause()));
            }
        });
    }

    /**
     * The boundary and network of the parameters just kept, in {@code views.json} with the run's data, unless the
     * views as it ended are written already: a run cut short by a crash then shows them after a restart. On the
     * keeping thread; a failure leaves the checkpoint kept and is logged.
     */
    private void keepViews(Run run, RunViews views, Network copy, long iteration) {
        try {
            RunViews.Checkpointed now = views.checkpointed(copy, iteration);
            synchronized (run.viewsFile) {
                if (!run.endViewsWritten) {
                    storage.lastViews(run.id(), views.data(), now.boundary(), now.network());
                }
            }
        } catch (Exception | OutOfMemoryError e) {
            LOG.log(System.Logger.Level.WARNING, "could not keep the boundary and network of run " + run.id() + ": "
                    + storage.describe(e));
        }
    }

    /**
     * A run that ended with its final parameters kept lets its checkpoint go, after any write of it still in flight
     * (one writer thread, in order).
     */
    void drop(Run run) {
        if (!storage.keepsCheckpoints() || (run.checkpoint() == null && !run.checkpointing)) {
            return;
        }
        writer.executeBlocking(() -> {
            storage.dropCheckpoint(run.id());
            return null;
        }, false).onComplete(dropped -> {
            if (dropped.succeeded()) {
                run.checkpointDropped();
            } else {
                LOG.log(System.Logger.Level.DEBUG, "the checkpoint of run " + run.id() + " was not removed: "
                        + dropped.cause());
            }
        });
    }

    io.vertx.core.Future<Void> close() {
        return writer.close();
    }
}
