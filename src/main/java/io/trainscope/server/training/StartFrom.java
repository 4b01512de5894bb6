package io.trainscope.server.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.run.RunStatus;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.spec.SpecException;
import io.trainscope.store.Checkpoint;

import java.io.IOException;

/**
 * The server's extension to the run spec: {@code "startFrom": "R"} starts a new run from the parameters that run R
 * keeps (its final ones, or those kept every few seconds while it trained: {@link Checkpoints}), read on the server,
 * so that a client need not fetch megabytes of parameters and send them back. The engine's spec knows nothing of it:
 * it is taken out and turned into the spec's {@code initialParameters} before the spec is parsed. The run shows it as
 * {@code "startFrom": {"runId": R, "iteration": I}} in place of the parameters, and that form is accepted too. A spec
 * without a {@code learningRate} continues at the rate in force where the parameters were kept (the last live one).
 */
final class StartFrom {

    static final String FIELD = "startFrom";

    private StartFrom() {
    }

    /** Removes {@code startFrom} from {@code spec} and returns the run it names, or null when absent. */
    static String take(ObjectNode spec) throws SpecException {
        JsonNode node = spec.remove(FIELD);
        if (node == null || node.isNull()) {
            return null;
        }
        JsonNode id = node.isObject() ? node.get("runId") : node;
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw new SpecException(FIELD, "must name the run to start from: its id as a string, or {\"runId\": \"…\"},"
                    + " got " + shortened(node));
        }
        if (spec.has("initialParameters")) {
            throw new SpecException(FIELD, "give either \"startFrom\" (a run whose parameters to start from) or"
                    + " \"initialParameters\", not both");
        }
        return id.asText();
    }

    /**
     * Puts the parameters that run {@code sourceId} keeps into {@code spec} as its {@code initialParameters}, and
     * returns what they are. Refused, naming {@code startFrom}, when there is no such run, it keeps none, or they are
     * for other layers than the spec's. Reads a file: off the verticle's context.
     */
    static RunRecords.Kept resolve(ObjectNode spec, String sourceId, RunRegistry runs, RunRecords storage)
            throws SpecException {
        Run source = runs.find(sourceId);
        if (source == null) {
            throw new SpecException(FIELD, "no run with id " + sourceId);
        }
        RunSnapshot from = source.snapshot();
        JsonNode theirs = from.spec().path("layers");
        JsonNode ours = spec.path("layers");
        if (ours.isArray() && !theirs.equals(ours)) {
            throw new SpecException(FIELD, "run " + sourceId + "'s parameters are for layers " + theirs
                    + "; this spec's layers are " + ours);
        }
        RunRecords.Kept kept;
        try {
            kept = storage.kept(from);
        } catch (IOException | RuntimeException e) {
            throw new SpecException(FIELD, "the kept parameters of run " + sourceId + " cannot be read: "
                    + storage.describe(e));
        }
        if (kept == null) {
            throw new SpecException(FIELD, "run " + sourceId + " keeps no parameters to start from: " + why(from, storage));
        }
        spec.set("initialParameters", kept.parameters());
        if (!spec.has("learningRate") && Double.isFinite(kept.at().learningRate())) {
            // Continued at the rate it was training with then (its last live change), not its spec's first one.
            spec.put("learningRate", kept.at().learningRate());
        }
        return kept;
    }

    private static String why(RunSnapshot from, RunRecords storage) {
        if (!storage.keepsCheckpoints()) {
            return "this server keeps runs in memory only (no --data-dir)";
        }
        if (from.status() == RunStatus.QUEUED) {
            return "it is queued and has not trained yet";
        }
        if (from.status().live()) {
            return "its first parameters are kept a few seconds after it starts; try again then";
        }
        return "it ended " + from.status().wire() + " before any were kept";
    }

    /** The spec a run started from {@code kept} shows: its parameters as where they came from, not as numbers. */
    static JsonNode shown(JsonNode spec, String sourceId, Checkpoint at) {
        ObjectNode shown = ((ObjectNode) spec).deepCopy();
        shown.remove("initialParameters");
        shown.putObject(FIELD).put("runId", sourceId).put("iteration", at.iteration());
        return shown;
    }

    private static String shortened(JsonNode node) {
        String text = node.toString();
        return text.length() <= 40 ? text : text.substring(0, 39) + "…";
    }
}
