package io.trainscope.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainscope.run.RunStatus;

import java.util.List;
import java.util.Objects;

/**
 * What {@code run.json} holds: everything {@link RunStore#list()} shows without touching the metrics.
 * Times are epoch milliseconds, null when the event has not happened. {@code iterations} is the number of
 * points stored; {@code finalCost} the cost of the last one, null when there is none or it is not finite; the
 * other results likewise. A field that a {@code run.json} written before it existed lacks reads as null.
 *
 * @param startedAt   when training began; null while queued, and for a run stopped before it began
 * @param depth       the number of layers L, the length of every point's norm arrays
 * @param changes     the live changes of its learning rate, in order (absent from a run.json written before them)
 * @param bestCost    the least finite cost of any stored point
 * @param finalAccuracy, finalValidationCost, finalValidationAccuracy the last stored point's
 * @param elapsedMs   time spent training, pauses excluded (null in a run.json written before it was kept)
 * @param checkpoint  the parameters kept while it trained, for continuing it (null when none is kept)
 * @param sweep       the server's label of the set of runs it was started with (opaque here), or null
 */
public record RunInfo(String id, String name, RunStatus status, String reason, long createdAt, Long startedAt,
                      Long endedAt, long iterations, Double finalCost, int depth, List<RateChange> changes,
                      Double bestCost, Double finalAccuracy, Double finalValidationCost, Double finalValidationAccuracy,
                      Long elapsedMs, Checkpoint checkpoint, JsonNode sweep) {

    public RunInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        finalCost = finite(finalCost);
        bestCost = finite(bestCost);
        finalAccuracy = finite(finalAccuracy);
        finalValidationCost = finite(finalValidationCost);
        finalValidationAccuracy = finite(finalValidationAccuracy);
        changes = changes == null ? List.of() : List.copyOf(changes);
        if (sweep != null && (sweep.isNull() || sweep.isMissingNode())) {
            sweep = null;
        }
    }

    /** A run whose learning rate never changed, with no results beyond its final cost. */
    public RunInfo(String id, String name, RunStatus status, String reason, long createdAt, Long startedAt,
                   Long endedAt, long iterations, Double finalCost, int depth) {
        this(id, name, status, reason, createdAt, startedAt, endedAt, iterations, finalCost, depth, List.of(),
                null, null, null, null, null, null, null);
    }

    private static Double finite(Double value) {
        return value != null && Double.isFinite(value) ? value : null;
    }

    public RunInfo withName(String newName) {
        return new RunInfo(id, newName, status, reason, createdAt, startedAt, endedAt, iterations, finalCost, depth,
                changes, bestCost, finalAccuracy, finalValidationCost, finalValidationAccuracy, elapsedMs, checkpoint, sweep);
    }

    public RunInfo withChanges(List<RateChange> newChanges) {
        return new RunInfo(id, name, status, reason, createdAt, startedAt, endedAt, iterations, finalCost, depth,
                newChanges, bestCost, finalAccuracy, finalValidationCost, finalValidationAccuracy, elapsedMs, checkpoint,
                sweep);
    }

    /**
     * A new status and its reason (null for none); the end time is set when the run has ended, the start time when
     * it leaves the queue to train.
     */
    public RunInfo withStatus(RunStatus newStatus, String newReason, long now) {
        Long ended = !newStatus.ended() ? null : (endedAt != null && status.ended() ? endedAt : Long.valueOf(now));
        Long started = startedAt == null && newStatus.live() ? Long.valueOf(now) : startedAt;
        return new RunInfo(id, name, newStatus, newReason, createdAt, started, ended, iterations, finalCost, depth,
                changes, bestCost, finalAccuracy, finalValidationCost, finalValidationAccuracy, elapsedMs, checkpoint,
                sweep);
    }

    /** What the stored points say: how many, the last one's results and the best cost (none without points). */
    public RunInfo withProgress(Progress progress) {
        boolean any = progress.points() > 0;
        return new RunInfo(id, name, status, reason, createdAt, startedAt, endedAt, progress.points(),
                any ? progress.lastCost() : null, depth, changes, any ? progress.bestCost() : null,
                any ? progress.lastAccuracy() : null, any ? progress.lastValidationCost() : null,
                any ? progress.lastValidationAccuracy() : null, elapsedMs, checkpoint, sweep);
    }

    public RunInfo withProgress(long newIterations, double lastCost) {
        return new RunInfo(id, name, status, reason, createdAt, startedAt, endedAt, newIterations,
                newIterations == 0 ? null : lastCost, depth, changes, bestCost, finalAccuracy, finalValidationCost,
                finalValidationAccuracy, elapsedMs, checkpoint, sweep);
    }

    public RunInfo withElapsed(Long newElapsedMs) {
        return new RunInfo(id, name, status, reason, createdAt, startedAt, endedAt, iterations, finalCost, depth,
                changes, bestCost, finalAccuracy, finalValidationCost, finalValidationAccuracy, newElapsedMs, checkpoint,
                sweep);
    }

    public RunInfo withCheckpoint(Checkpoint newCheckpoint) {
        return new RunInfo(id, name, status, reason, createdAt, startedAt, endedAt, iterations, finalCost, depth,
                changes, bestCost, finalAccuracy, finalValidationCost, finalValidationAccuracy, elapsedMs, newCheckpoint,
                sweep);
    }

    public RunInfo withSweep(JsonNode newSweep) {
        return new RunInfo(id, name, status, reason, createdAt, startedAt, endedAt, iterations, finalCost, depth,
                changes, bestCost, finalAccuracy, finalValidationCost, finalValidationAccuracy, elapsedMs, checkpoint,
                newSweep);
    }

    /**
     * What a run's stored points say of it: how many, the last one's cost, accuracy and validation results, and the
     * least finite cost of all (NaN when there is none).
     */
    public record Progress(long points, double lastCost, double bestCost, double lastAccuracy, double lastValidationCost,
                           double lastValidationAccuracy) {

        public static final Progress NONE = new Progress(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
}
