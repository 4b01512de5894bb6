package io.trainscope.spec;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainscope.nn.Dataset;
import io.trainscope.nn.Datasets;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static io.trainscope.spec.JsonFields.child;
import static io.trainscope.spec.JsonFields.index;
import static io.trainscope.spec.JsonFields.invalid;

/** The {@code dataset} and {@code data} fields of a spec: where the examples come from. */
final class DataParser {

    static final Set<String> DATASET_FIELDS = new LinkedHashSet<>(List.of("name", "samples", "noise", "seed", "features"));
    static final Set<String> DATA_FIELDS = new LinkedHashSet<>(List.of("X", "Y", "csv"));

    /** Larger jitter than this buries any shape; the limit catches a mistyped value, not a choice. */
    static final double MAX_NOISE = 100;

    private DataParser() {
    }

    /** {@code dataset}: a built-in generator; its seed defaults to the run's. */
    static DataSpec.BuiltIn builtIn(JsonNode node, int[] layers, long runSeed, SpecLimits limits) throws SpecException {
        String path = "dataset";
        JsonFields.object(node, path, DATASET_FIELDS);
        String name = JsonFields.choice(JsonFields.required(node, "name", path, "one of " + Datasets.NAMES),
                child(path, "name"), Datasets.NAMES);
        int samples = node.has("samples")
                ? JsonFields.integer(node.get("samples"), child(path, "samples"), 1, limits.maxSamples())
                : Datasets.DEFAULT_SAMPLES;
        double noise = Datasets.DEFAULT_NOISE;
        if (node.has("noise")) {
            noise = JsonFields.finite(node.get("noise"), child(path, "noise"));
            if (noise < 0 || noise > MAX_NOISE) {
                throw invalid(child(path, "noise"), "a number from 0 to " + (int) MAX_NOISE, node.get("noise"));
            }
        }
        long seed = node.has("seed")
                ? JsonFields.integer(node.get("seed"), child(path, "seed"), Long.MIN_VALUE, Long.MAX_VALUE)
                : runSeed;
        boolean gaussian = name.equals("gaussian");
        int features = gaussian ? layers[0] : Datasets.PLANE;
        if (node.has("features")) {
            String featuresPath = child(path, "features");
            features = JsonFields.integer(node.get("features"), featuresPath, 1, limits.maxLayerWidth());
            if (!gaussian && features != Datasets.PLANE) {
                throw new SpecException(featuresPath, "only gaussian takes features; " + name + " has "
                        + Datasets.PLANE + ", got " + features);
            }
        }
        if (features != layers[0]) {
            throw new SpecException("layers[0]", "must equal the dataset's " + features + " features ("
                    + name + (gaussian ? ", dataset.features" : "") + "), got " + layers[0]);
        }
        checkActivations(layers, samples, child(path, "samples"), limits);
        return new DataSpec.BuiltIn(name, samples, noise, seed, features);
    }

    /** {@code data}: inline {@code {"X": …, "Y": …}} in the seed's layout, or {@code {"csv": path}}. */
    static DataSpec given(JsonNode node, int[] layers, SpecLimits limits, Path baseDir) throws SpecException {
        String path = "data";
        JsonFields.object(node, path, DATA_FIELDS);
        if (node.has("csv")) {
            if (node.has("X") || node.has("Y")) {
                throw new SpecException(path, "give either \"csv\" or \"X\" and \"Y\", not both");
            }
            return new DataSpec.Csv(csvPath(node.get("csv"), baseDir), limits);
        }
        JsonNode xNode = JsonFields.required(node, "X", path, "n_x rows of m values each (or \"csv\": a file)");
        JsonNode yNode = JsonFields.required(node, "Y", path, "one row of m labels, 0 or 1");
        String xPath = child(path, "X");
        if (xNode.isArray() && xNode.size() > limits.maxLayerWidth()) {
            throw new SpecException(xPath, "has " + xNode.size() + " rows, more than the limit of "
                    + limits.maxLayerWidth() + " features");
        }
        if (xNode.isArray() && !xNode.isEmpty() && xNode.get(0).size() > limits.maxSamples()) {
            throw new SpecException(xPath, "has " + xNode.get(0).size() + " examples, more than the limit of "
                    + limits.maxSamples());
        }
        JsonFields.Matrix x = JsonFields.matrix(xNode, xPath);
        if (x.rows() != layers[0]) {
            throw new SpecException(xPath, "has " + x.rows() + " rows (features), layers[0] is " + layers[0]);
        }
        double[] y = labels(yNode, child(path, "Y"), x.cols());
        checkActivations(layers, x.cols(), xPath, limits);
        return new DataSpec.Inline(new Dataset(x.rows(), x.cols(), x.values(), y));
    }

    private static double[] labels(JsonNode node, String path, int samples) throws SpecException {
        if (node.isArray() && !node.isEmpty() && node.get(0).isNumber()) {
            throw new SpecException(path, "must be one row, [[y1, …, ym]], got a flat array");
        }
        JsonFields.Matrix y = JsonFields.matrix(node, path);
        if (y.rows() != 1 || y.cols() != samples) {
            throw new SpecException(path, "expected 1×" + samples + " (one label per column of X), got " + y.shape());
        }
        for (int j = 0; j < samples; j++) {
            double label = y.values()[j];
            if (label != 0 && label != 1) {
                throw new SpecException(index(index(path, 0), j), "must be 0 or 1, got " + label);
            }
        }
        return y.values();
    }

    private static Path csvPath(JsonNode node, Path baseDir) throws SpecException {
        String file = JsonFields.string(node, "data.csv");
        if (file.isBlank()) {
            throw invalid("data.csv", "a file path", node);
        }
        if (baseDir == null) {
            throw new SpecException("data.csv", "files cannot be read here; send the examples inline as \"X\" and \"Y\"");
        }
        try {
            return baseDir.resolve(Path.of(file)).normalize();
        } catch (InvalidPathException e) {
            throw new SpecException("data.csv", "not a valid path: " + e.getReason());
        }
    }

    /** One pass's buffers must fit: {@code samples × (n_x + h1 + … + 1)} values. */
    static void checkActivations(int[] layers, long samples, String field, SpecLimits limits) throws SpecException {
        long values = SpecLimits.activations(layers, samples);
        if (values > limits.maxActivations()) {
            throw new SpecException(field, samples + " examples through layers of total width "
                    + values / samples + " need " + values + " activation values, more than the limit of "
                    + limits.maxActivations());
        }
    }
}
