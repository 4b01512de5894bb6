package io.trainscope.server.bus;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainscope.point.Points;
import io.trainscope.run.RunStatus;
import io.trainscope.store.Checkpoint;
import io.trainscope.store.RateChange;

import java.util.List;

/**
 * A run as it was at one moment: what the {@code state} message and {@code GET /api/runs/{id}} show.
 * Immutable; the training verticle makes a new one on every change.
 *
 * @param iteration  iterations done (the next one's index)
 * @param iterations iterations asked for
 * @param spec       the spec as JSON (never modified once here)
 * @param reason     why a run failed or stopped, else null
 * @param startedAt  epoch ms
 * @param endedAt    epoch ms, 0 while live
 * @param elapsedMs  time spent training, pauses excluded
 * @param itPerSec   recent training rate, 0 when not running
 * @param pace       iterations per second asked for, 0 for as fast as possible
 * @param cost       the latest point's cost, NaN before the first
 * @param name       the name a user gave the run, or null
 * @param parameters whether its final parameters can be downloaded ({@code GET /api/runs/{id}/parameters})
 * @param learningRate the rate the next update uses (the spec's until a change), NaN when unknown
 * @param changes    the live changes of the learning rate, in order; the spec keeps the rate it started with
 * @param storageProblem why the run's record on disk does not show this yet (a full disk, say), null when it does
 * @param latest     the last point pushed to viewers (at most one point; none before the first push, or for a run
 *                   read back from storage): what /metrics shows of a live run
 * @param createdAt  epoch ms when it was asked for (when it started, for a run that never queued)
 * @param results    its latest results besides the cost, and its best cost
 * @param checkpoint the parameters kept while it trained, which a new run may start from; null when none
 * @param sweep      the label of the set of runs it was started with, or null
 */
public record RunSnapshot(String id, RunStatus status, String reason, long iteration, long iterations,
                          JsonNode spec, String description, int depth, long startedAt, long endedAt,
                          long elapsedMs, double itPerSec, double pace, double cost, String name,
                          boolean parameters, double learningRate, List<RateChange> changes, String storageProblem,
                          Points latest, long createdAt, Results results, Checkpoint checkpoint, JsonNode sweep) {

    public RunSnapshot {
        changes = List.copyOf(changes);
        results = results == null ? Results.NONE : results;
    }

    /** A run that was not queued, with no results besides its cost, nothing kept and no sweep. */
    public RunSnapshot(String id, RunStatus status, String reason, long iteration, long iterations,
                       JsonNode spec, String description, int depth, long startedAt, long endedAt,
                       long elapsedMs, double itPerSec, double pace, double cost, String name,
                       boolean parameters, double learningRate, List<RateChange> changes, String storageProblem,
                       Points latest) {
        this(id, status, reason, iteration, iterations, spec, description, depth, startedAt, endedAt, elapsedMs,
                itPerSec, pace, cost, name, parameters, learningRate, changes, storageProblem, latest, startedAt,
                Results.NONE, null, null);
    }

    /**
     * A run's results for a table of runs: the least finite cost of any of its points, and its latest point's
     * accuracy and validation cost and accuracy (NaN when unknown: no point yet, nothing held out, or a run stored
     * before they were kept).
     */
    public record Results(double bestCost, double accuracy, double validationCost, double validationAccuracy) {

        public static final Results NONE = new Results(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** A run with no name, no parameters kept, and the learning rate of its spec, never changed. */
    public RunSnapshot(String id, RunStatus status, String reason, long iteration, long iterations,
                       JsonNode spec, String description, int depth, long startedAt, long endedAt,
                       long elapsedMs, double itPerSec, double pace, double cost) {
        this(id, status, reason, iteration, iterations, spec, description, depth, startedAt, endedAt, elapsedMs,
                itPerSec, pace, cost, null, false, spec.path("learningRate").asDouble(Double.NaN), List.of(), null,
                new Points(Math.max(1, depth), 0));
    }
}
