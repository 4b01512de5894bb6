package io.trainscope.server;

import io.trainscope.spec.Names;
import io.trainscope.spec.SpecException;
import io.trainscope.store.RateChange;

import java.io.IOException;
import java.util.List;

/**
 * The commands that change a run's record rather than drive its training: {@code set} (the learning rate),
 * {@code rename} and {@code delete}. Each is stored first and refused (500) when it cannot be: a run never
 * shows, or trains on, what its record does not hold. The training verticle calls these on its context,
 * after it has checked that the command applies to the run and, for a {@code set}, that no chunk is in flight.
 */
final class RecordCommands {

    /** Most learning-rate changes one run keeps: each is in every {@code state} of the run. */
    static final int MAX_CHANGES = 500;

    private final RunStorage storage;
    private final RunRegistry registry;
    private final RunPublisher publisher;

    RecordCommands(RunStorage storage, RunRegistry registry, RunPublisher publisher) {
        this.storage = storage;
        this.registry = registry;
        this.publisher = publisher;
    }

    /**
     * A live run's learning rate from its next iteration on, with no chunk in flight (a running run's chunk was
     * cut at an iteration boundary to get here). The change is stored before it applies: a run never trains on
     * a rate its record does not show. At most {@link #MAX_CHANGES} per run, so its state stays small.
     */
    CommandReply setLearningRate(Run run, double rate) {
        if (!(rate > 0) || !Double.isFinite(rate)) {
            return new CommandReply(null, 400, "learningRate: must be a finite number > 0, got " + rate,
                    "learningRate");
        }
        List<RateChange> changes = run.changesWith(rate);
        if (changes.equals(run.changes())) {
            return CommandReply.ok(run.snapshot(), 200);
        }
        if (changes.size() > MAX_CHANGES) {
            return new CommandReply(null, 409, "run " + run.id() + " has had " + MAX_CHANGES
                    + " learning-rate changes, the most one run keeps", "learningRate");
        }
        try {
            storage.changes(run.id(), changes);
        } catch (IOException | RuntimeException e) {
            return CommandReply.refused(500, "the learning rate of run " + run.id()
                    + " was not changed: the change could not be stored: " + storage.describe(e));
        }
        run.learningRate(rate, changes);
        return CommandReply.ok(publisher.publishState(run), 200);
    }

    /** A name as {@link Names} allows, stripped; blank clears it. Any run, live or not. */
    CommandReply rename(Run run, String name) {
        String trimmed = name == null || name.isBlank() ? null : name.strip();
        if (trimmed != null) {
            try {
                Names.check(trimmed, "name");
            } catch (SpecException e) {
                return CommandReply.invalid(e);
            }
        }
        try {
            storage.rename(run.id(), trimmed);
        } catch (IOException | RuntimeException e) {
            return CommandReply.refused(500, "run " + run.id() + " could not be renamed: " + storage.describe(e));
        }
        run.name(trimmed);
        return CommandReply.ok(publisher.publishState(run), 200);
    }

    /** Deletes an ended run from storage and the registry, and tells every viewer. */
    CommandReply delete(Run run) {
        try {
            storage.delete(run.id());
        } catch (IOException | RuntimeException e) {
            return CommandReply.refused(500, "run " + run.id() + " could not be deleted: " + storage.describe(e));
        }
        registry.remove(run.id());
        publisher.publishDeleted(run);
        return CommandReply.ok(run.snapshot(), 200);
    }
}
