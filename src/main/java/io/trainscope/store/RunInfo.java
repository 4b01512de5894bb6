package io.trainscope.store;

import io.trainscope.run.RunStatus;
import java.util.List;
import java.util.Objects;

/**
 * What {@code run.json} holds: everything {@link RunStore#list()} shows without touching the metrics.
 * Times are epoch milliseconds, null when the event has not happened. {@code iterations} is the number of
 * points stored; {@code finalCost} the cost of the last one, null when there is none or it is not finite.
 *
 * @param depth   the number of layers L, the length of every point's norm arrays
 * @param changes the live changes of its learning rate, in order (absent from a run.json written before them)
 */
public record RunInfo(String id, String name, RunStatus status, String reason, long createdAt, Long startedAt,
                      Long endedAt, long iterations, Double finalCost, int depth, List<RateChange> changes) {

    public RunInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        if (finalCost != null && !Double.isFinite(finalCost)) {
            finalCost = null;
        }
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    /** A run whose learning rate never changed. */
    public RunInfo(String id, String name, RunStatus status, String reason, long createdAt, Long startedAt,
                   Long endedAt, long iterations, Double finalCost, int depth) {
        this(id, name, status, reason, createdAt, startedAt, endedAt, iterations, finalCost, depth, List.of());
    }

    public RunInfo withName(String newName) {
        return new RunInfo(id, newName, status, reason, createdAt, startedAt, endedAt, iterations, finalCost, depth,
                changes);
    }

    public RunInfo withChanges(List<RateChange> newChanges) {
        return new RunInfo(id, name, status, reason, createdAt, startedAt, endedAt, iterations, finalCost, depth,
                newChanges);
    }

    /** A new status and its reason (null for none); the end time is set when the run stops being live. */
    public RunInfo withStatus(RunStatus newStatus, String newReason, long now) {
        Long ended = newStatus.live() ? null : (endedAt != null && !status.live() ? endedAt : Long.valueOf(now));
        return new RunInfo(id, name, newStatus, newReason, createdAt, startedAt, ended, iterations, finalCost, depth,
                changes);
    }

    public RunInfo withProgress(long newIterations, double lastCost) {
        return new RunInfo(id, name, status, reason, createdAt, startedAt, endedAt, newIterations,
                newIterations == 0 ? null : lastCost, depth, changes);
    }
}
