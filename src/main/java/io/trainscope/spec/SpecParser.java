package io.trainscope.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.trainscope.nn.Datasets;
import io.trainscope.nn.Init;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a run spec (CONTRACT.md, "Run spec") from JSON into a checked {@link RunSpec}. Strict: an unknown
 * field, a value of the wrong type or out of range, or a shape that does not fit {@code layers} is refused
 * with a one-line {@link SpecException} naming it by JSON path, such as
 * {@code layers[2]: must be an integer >= 1, got -3}. The first problem found is reported.
 */
public final class SpecParser {

    static final Set<String> FIELDS = new LinkedHashSet<>(List.of("name", "layers", "learningRate", "iterations",
            "init", "seed", "dataset", "data", "initialParameters", "validationSplit"));
    static final List<String> INITS = List.of("he", "xavier", "seed");
    private SpecParser() {
    }

    /**
     * Parses JSON text. A CSV path in the spec resolves against {@code baseDir} (the spec file's directory
     * for the CLI). With a null {@code baseDir} a spec naming a CSV file is refused: a server must not read
     * whatever file a remote user names (its errors would even quote the file's content).
     */
    public static RunSpec parse(String json, SpecLimits limits, Path baseDir) throws SpecException {
        return parse(readTree(json), limits, baseDir);
    }

    /** JSON text as a tree, or a {@link SpecException} with the line and column where it is malformed. */
    public static JsonNode readTree(String json) throws SpecException {
        try {
            JsonNode node = StrictJson.read(json);
            if (node.isMissingNode()) {
                throw new SpecException("spec", "empty; expected a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new SpecException("spec", "not valid JSON" + StrictJson.where(e));
        }
    }

    public static RunSpec parse(JsonNode root, SpecLimits limits, Path baseDir) throws SpecException {
        JsonFields.object(root, "", FIELDS);
        String name = null;
        if (root.has("name")) {
            name = JsonFields.string(root.get("name"), "name");
            Names.check(name, "name");
        }
        int[] layers = layers(JsonFields.required(root, "layers", "", "[n_x, h1, …, 1]"), limits);
        double learningRate = learningRate(JsonFields.required(root, "learningRate", "", "a finite number > 0"));
        long iterations = JsonFields.integer(JsonFields.required(root, "iterations", "", "an integer >= 1"),
                "iterations", 1L, limits.maxIterations());
        Init init = root.has("init")
                ? Init.valueOf(JsonFields.choice(root.get("init"), "init", INITS).toUpperCase(Locale.ROOT))
                : RunSpec.DEFAULT_INIT;
        long seed = root.has("seed")
                ? JsonFields.integer(root.get("seed"), "seed", Long.MIN_VALUE, Long.MAX_VALUE)
                : RunSpec.DEFAULT_SEED;
        DataSpec data = data(root, layers, seed, limits, baseDir);
        RunSpec.Parameters initial = root.has("initialParameters")
                ? ParametersJson.read(root.get("initialParameters"), "initialParameters", layers)
                : null;
        double validationSplit = root.has("validationSplit") ? validationSplit(root.get("validationSplit")) : 0;
        return new RunSpec(layers, learningRate, iterations, init, seed, data, initial, validationSplit, name);
    }

    private static int[] layers(JsonNode node, SpecLimits limits) throws SpecException {
        List<JsonNode> items = JsonFields.array(node, "layers", "an array [n_x, h1, …, 1]");
        if (items.size() < 2) {
            throw JsonFields.invalid("layers", "at least [n_x, 1]", node);
        }
        if (items.size() > limits.maxDepth() + 1) {
            throw new SpecException("layers", "has " + (items.size() - 1) + " weight layers, more than the limit of "
                    + limits.maxDepth());
        }
        int[] layers = new int[items.size()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = JsonFields.integer(items.get(l), JsonFields.index("layers", l), 1, limits.maxLayerWidth());
        }
        int last = layers.length - 1;
        if (layers[last] != 1) {
            throw new SpecException(JsonFields.index("layers", last), "must be 1 (the sigmoid output unit), got "
                    + layers[last]);
        }
        long parameters = SpecLimits.parameters(layers);
        if (parameters > limits.maxParameters()) {
            throw new SpecException("layers", "has " + parameters + " weights and biases, more than the limit of "
                    + limits.maxParameters());
        }
        return layers;
    }

    /** A learning rate as a spec or a live change gives it: a finite JSON number > 0. */
    public static double learningRate(JsonNode node) throws SpecException {
        if (node == null || !node.isNumber() || !Double.isFinite(node.doubleValue()) || node.doubleValue() <= 0) {
            throw JsonFields.invalid("learningRate", "a finite number > 0", node);
        }
        return node.doubleValue();
    }

    private static double validationSplit(JsonNode node) throws SpecException {
        if (node == null || !node.isNumber() || !(node.doubleValue() >= 0 && node.doubleValue() < 1)) {
            throw JsonFields.invalid("validationSplit", "a number in [0, 1)", node);
        }
        return node.doubleValue();
    }

    private static DataSpec data(JsonNode root, int[] layers, long seed, SpecLimits limits, Path baseDir)
            throws SpecException {
        boolean builtIn = root.has("dataset");
        boolean given = root.has("data");
        if (builtIn && given) {
            throw new SpecException("data", "give either \"dataset\" (built-in) or \"data\" (inline or CSV), not both");
        }
        if (!builtIn && !given) {
            throw new SpecException("dataset", "missing; give either \"dataset\" (built-in: "
                    + String.join(", ", Datasets.NAMES) + ") or \"data\" (inline or CSV)");
        }
        return builtIn
                ? DataParser.builtIn(root.get("dataset"), layers, seed, limits)
                : DataParser.given(root.get("data"), layers, limits, baseDir);
    }
}
