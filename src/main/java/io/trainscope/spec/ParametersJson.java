package io.trainscope.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.nn.Layer;
import io.trainscope.nn.Network;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Parameters in the seed's JSON shapes, {@code {"W1": [[…]], "b1": [[…]], …}}: W_l is {@code n_l × n_(l-1)},
 * b_l is {@code n_l × 1}. Read for a spec's {@code initialParameters}, written for {@code --params-out}.
 */
public final class ParametersJson {

    private ParametersJson() {
    }

    /** Reads {@code node} (at JSON path {@code path}) for a network of {@code layers}, checking every shape. */
    static RunSpec.Parameters read(JsonNode node, String path, int[] layers) throws SpecException {
        if (!node.isObject()) {
            throw JsonFields.invalid(path, "an object {\"W1\": [[…]], \"b1\": [[…]], …}", node);
        }
        int depth = layers.length - 1;
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (layerOf(name, depth) < 0) {
                throw new SpecException(JsonFields.child(path, name), "unknown; a network of " + depth
                        + " weight layers has W1…W" + depth + " and b1…b" + depth);
            }
        }
        List<double[]> weights = new ArrayList<>(depth);
        List<double[]> biases = new ArrayList<>(depth);
        for (int l = 1; l <= depth; l++) {
            weights.add(tensor(node, path, "W" + l, layers[l], layers[l - 1],
                    "layers[" + l + "] × layers[" + (l - 1) + "]"));
            biases.add(tensor(node, path, "b" + l, layers[l], 1, "layers[" + l + "] × 1"));
        }
        return new RunSpec.Parameters(weights, biases);
    }

    private static double[] tensor(JsonNode parent, String path, String name, int rows, int cols, String from)
            throws SpecException {
        String field = JsonFields.child(path, name);
        JsonNode node = parent.get(name);
        if (node == null) {
            throw new SpecException(field, "missing; expected " + rows + "×" + cols + " (" + from + ")");
        }
        if (node.isArray() && node.size() != rows) {
            throw new SpecException(field, "expected " + rows + "×" + cols + " (" + from + "), got "
                    + node.size() + " rows");
        }
        JsonFields.Matrix matrix = JsonFields.matrix(node, field);
        if (matrix.cols() != cols) {
            throw new SpecException(field, "expected " + rows + "×" + cols + " (" + from + "), got "
                    + matrix.shape());
        }
        return matrix.values();
    }

    /** The layer number (1-based) of {@code W<l>} or {@code b<l>} within {@code depth}, else -1. */
    private static int layerOf(String name, int depth) {
        if (name.length() < 2 || (name.charAt(0) != 'W' && name.charAt(0) != 'b')) {
            return -1;
        }
        String digits = name.substring(1);
        if (!digits.chars().allMatch(Character::isDigit) || digits.startsWith("0") || digits.length() > 6) {
            return -1;
        }
        int l = Integer.parseInt(digits);
        return l <= depth ? l : -1;
    }

    /** The parameters as JSON, W1, b1, W2, b2, … in the seed's shapes. */
    public static ObjectNode write(RunSpec.Parameters parameters, int[] layers) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (int l = 1; l < layers.length; l++) {
            out.set("W" + l, matrix(parameters.weights().get(l - 1), layers[l], layers[l - 1]));
            out.set("b" + l, matrix(parameters.biases().get(l - 1), layers[l], 1));
        }
        return out;
    }

    /**
     * Streams the same JSON as {@link #write(RunSpec.Parameters, int[])} without building a tree: a large
     * network's parameters (a quarter of a million numbers) are written when a run stops, and a stop should
     * not wait for a tree of that size.
     */
    public static void write(JsonGenerator out, Network network) throws java.io.IOException {
        out.writeStartObject();
        int l = 1;
        for (Layer layer : network.parameters()) {
            out.writeFieldName("W" + l);
            matrix(out, layer.weights(), layer.outputs(), layer.inputs());
            out.writeFieldName("b" + l);
            matrix(out, layer.biases(), layer.outputs(), 1);
            l++;
        }
        out.writeEndObject();
    }

    /** Streams {@code parameters} of a network of {@code layers} as {@link #write(RunSpec.Parameters, int[])} would. */
    public static void write(JsonGenerator out, RunSpec.Parameters parameters, int[] layers) throws java.io.IOException {
        out.writeStartObject();
        for (int l = 1; l < layers.length; l++) {
            out.writeFieldName("W" + l);
            matrix(out, parameters.weights().get(l - 1), layers[l], layers[l - 1]);
            out.writeFieldName("b" + l);
            matrix(out, parameters.biases().get(l - 1), layers[l], 1);
        }
        out.writeEndObject();
    }

    /** Whether every weight and bias is finite: parameters that JSON (and a spec) can carry. */
    public static boolean finite(RunSpec.Parameters parameters) {
        for (List<double[]> tensors : List.of(parameters.weights(), parameters.biases())) {
            for (double[] values : tensors) {
                for (double v : values) {
                    if (!Double.isFinite(v)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static void matrix(JsonGenerator out, double[] values, int rows, int cols) throws java.io.IOException {
        out.writeStartArray();
        for (int i = 0; i < rows; i++) {
            out.writeArray(values, i * cols, cols);
        }
        out.writeEndArray();
    }

    /** A copy of the network's current parameters. */
    public static RunSpec.Parameters of(Network network) {
        List<double[]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        for (Layer layer : network.parameters()) {
            weights.add(layer.weights().clone());
            biases.add(layer.biases().clone());
        }
        return new RunSpec.Parameters(weights, biases);
    }

    static ArrayNode matrix(double[] values, int rows, int cols) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode(rows);
        for (int i = 0; i < rows; i++) {
            ArrayNode row = out.addArray();
            for (int j = 0; j < cols; j++) {
                row.add(values[i * cols + j]);
            }
        }
        return out;
    }
}
