package io.trainscope.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.trainscope.nn.Dataset;
import io.trainscope.nn.Histogram;
import io.trainscope.nn.LayerHistograms;
import io.trainscope.nn.Plane;
import io.trainscope.nn.Wiring;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The one place where a view's snapshot becomes JSON, and is read back from the files a run keeps
 * (docs/protocol.md, "Views"; docs/storage.md). Only the fields of each snapshot are written here; the message's
 * {@code type} and {@code runId} are the caller's. Numbers are shortened ({@link Rounded}) as the protocol says:
 * <ul>
 *   <li>histogram edges to a power of ten between 1/1000 and 1/100 of the bin width, the first rounded down and the
 *       last up so that they still cover every value; counts are exact, counted against the unrounded edges;</li>
 *   <li>boundary outputs to 3 decimals;</li>
 *   <li>weights and biases to 4 significant digits;</li>
 *   <li>example coordinates to a power of ten between 1/100 000 and 1/10 000 of the plane's larger extent.</li>
 * </ul>
 * Not finite numbers are {@code null}, as everywhere. The generator should write doubles in their shortest form
 * ({@code JsonGenerator.Feature.USE_FAST_DOUBLE_WRITER}), which prints a rounded number as its short decimal.
 */
public final class SnapshotJson {

    /** Significant digits of weights and biases. */
    public static final int WEIGHT_DIGITS = 4;
    /** Decimals of boundary outputs. */
    public static final int OUTPUT_DECIMALS = 3;

    private SnapshotJson() {
    }

    /** {@code "iteration": i, "layers": [{"weights": {...}, "gradients": {...}, "activations": {...}}, …]} */
    public static void writeHistograms(JsonGenerator out, long iteration, List<LayerHistograms> layers) throws IOException {
        out.writeNumberField("iteration", iteration);
        out.writeArrayFieldStart("layers");
        for (LayerHistograms layer : layers) {
            out.writeStartObject();
            writeHistogram(out, "weights", layer.weights());
            writeHistogram(out, "gradients", layer.gradients());
            writeHistogram(out, "activations", layer.activations());
            out.writeEndObject();
        }
        out.writeEndArray();
    }

    /** {@code {"edges": [...], "counts": [...]}}, with {@code "nonFinite": n} when n > 0; {@code null} for none. */
    private static void writeHistogram(JsonGenerator out, String field, Histogram h) throws IOException {
        out.writeFieldName(field);
        if (h == null) {
            out.writeNull();
            return;
        }
        double[] edges = h.edges();
        int bins = edges.length - 1;
        int decimals = Rounded.decimalsFor(edges[bins] / bins - edges[0] / bins, 2);
        out.writeStartObject();
        out.writeArrayFieldStart("edges");
        for (int k = 0; k <= bins; k++) {
            Rounded.Direction direction = k == 0 ? Rounded.Direction.DOWN : k == bins ? Rounded.Direction.UP
                    : Rounded.Direction.NEAREST;
            MetricsJson.writeNumber(out, Rounded.decimals(edges[k], decimals, direction));
        }
        out.writeEndArray();
        out.writeArrayFieldStart("counts");
        for (int count : h.counts()) {
            out.writeNumber(count);
        }
        out.writeEndArray();
        if (h.nonFinite() > 0) {
            out.writeNumberField("nonFinite", h.nonFinite());
        }
        out.writeEndObject();
    }

    /** {@code "iteration": i, "x": [min, max], "y": [min, max], "size": [side, side], "values": [...]} */
    public static void writeBoundary(JsonGenerator out, long iteration, Plane plane, int side, double[] values)
            throws IOException {
        out.writeNumberField("iteration", iteration);
        writePlane(out, plane);
        out.writeArrayFieldStart("size");
        out.writeNumber(side);
        out.writeNumber(side);
        out.writeEndArray();
        out.writeArrayFieldStart("values");
        for (double v : values) {
            MetricsJson.writeNumber(out, Rounded.decimals(v, OUTPUT_DECIMALS));
        }
        out.writeEndArray();
    }

    private static void writePlane(JsonGenerator out, Plane plane) throws IOException {
        out.writeArrayFieldStart("x");
        out.writeNumber(plane.xMin());
        out.writeNumber(plane.xMax());
        out.writeEndArray();
        out.writeArrayFieldStart("y");
        out.writeNumber(plane.yMin());
        out.writeNumber(plane.yMax());
        out.writeEndArray();
    }

    /**
     * {@code "iteration": i, "sizes": [...], "reduced": false, "layers": [{"W": [[...]...], "b": [...]}, …]}, and
     * for a reduced network {@code "units": [[...] per layer of units]}, the indices shown.
     */
    public static void writeNetwork(JsonGenerator out, long iteration, Wiring wiring) throws IOException {
        out.writeNumberField("iteration", iteration);
        writeInts(out, "sizes", wiring.sizes());
        boolean reduced = wiring.reduced();
        out.writeBooleanField("reduced", reduced);
        if (reduced) {
            out.writeArrayFieldStart("units");
            for (int[] units : wiring.units()) {
                out.writeArray(units, 0, units.length);
            }
            out.writeEndArray();
        }
        out.writeArrayFieldStart("layers");
        for (int l = 0; l < wiring.weights().size(); l++) {
            int rows = wiring.units()[l + 1].length;
            int cols = wiring.units()[l].length;
            double[] w = wiring.weights().get(l);
            out.writeStartObject();
            out.writeArrayFieldStart("W");
            for (int r = 0; r < rows; r++) {
                out.writeStartArray();
                for (int c = 0; c < cols; c++) {
                    MetricsJson.writeNumber(out, Rounded.significant(w[r * cols + c], WEIGHT_DIGITS));
                }
                out.writeEndArray();
            }
            out.writeEndArray();
            out.writeArrayFieldStart("b");
            for (double b : wiring.biases().get(l)) {
                MetricsJson.writeNumber(out, Rounded.significant(b, WEIGHT_DIGITS));
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        out.writeEndArray();
    }

    /**
     * {@code "x": [min, max], "y": [min, max], "train": {"points": [x0, y0, x1, y1, …], "labels": [0, 1, …],
     * "total": n}, "validation": {…} or null}
     */
    public static void writeData(JsonGenerator out, Plane plane, Dataset train, int trainTotal, Dataset validation,
                                 int validationTotal) throws IOException {
        writePlane(out, plane);
        int decimals = Rounded.decimalsFor(Math.max(plane.xMax() - plane.xMin(), plane.yMax() - plane.yMin()), 4);
        writeExamples(out, "train", train, trainTotal, decimals);
        writeExamples(out, "validation", validation, validationTotal, decimals);
    }

    private static void writeExamples(JsonGenerator out, String field, Dataset set, int total, int decimals)
            throws IOException {
        out.writeFieldName(field);
        if (set == null) {
            out.writeNull();
            return;
        }
        int m = set.samples();
        out.writeStartObject();
        out.writeArrayFieldStart("points");
        for (int j = 0; j < m; j++) {
            MetricsJson.writeNumber(out, Rounded.decimals(set.x()[j], decimals));
            MetricsJson.writeNumber(out, Rounded.decimals(set.x()[m + j], decimals));
        }
        out.writeEndArray();
        out.writeArrayFieldStart("labels");
        for (int j = 0; j < m; j++) {
            out.writeNumber(set.y()[j] > 0.5 ? 1 : 0);
        }
        out.writeEndArray();
        out.writeNumberField("total", total);
        out.writeEndObject();
    }

    private static void writeInts(JsonGenerator out, String field, int[] values) throws IOException {
        out.writeFieldName(field);
        out.writeArray(values, 0, values.length);
    }

    // Reading back what a run kept: the files are this class's own output, so the reads are plain.

    /** The layers of {@link #writeHistograms}. */
    public static List<LayerHistograms> readHistograms(JsonNode node) {
        List<LayerHistograms> layers = new ArrayList<>();
        for (JsonNode layer : node.path("layers")) {
            layers.add(new LayerHistograms(readHistogram(layer.path("weights")), readHistogram(layer.path("gradients")),
                    readHistogram(layer.path("activations"))));
        }
        return List.copyOf(layers);
    }

    private static Histogram readHistogram(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        return new Histogram(doubles(node.path("edges")), ints(node.path("counts")), node.path("nonFinite").asInt(0));
    }

    public static Plane readPlane(JsonNode node) {
        return new Plane(node.path("x").path(0).asDouble(), node.path("x").path(1).asDouble(),
                node.path("y").path(0).asDouble(), node.path("y").path(1).asDouble());
    }

    /** The outputs of {@link #writeBoundary}, NaN where {@code null}. */
    public static double[] readValues(JsonNode node) {
        return doubles(node.path("values"));
    }

    /** The wiring of {@link #writeNetwork}. */
    public static Wiring readNetwork(JsonNode node) {
        int[] sizes = ints(node.path("sizes"));
        int[][] units = new int[sizes.length][];
        for (int k = 0; k < sizes.length; k++) {
            JsonNode shown = node.path("units").path(k);
            units[k] = shown.isArray() ? ints(shown) : IntStream.range(0, sizes[k]).toArray();
        }
        List<double[]> weights = new ArrayList<>();
        List<double[]> biases = new ArrayList<>();
        for (JsonNode layer : node.path("layers")) {
            List<Double> w = new ArrayList<>();
            for (JsonNode row : layer.path("W")) {
                for (JsonNode v : row) {
                    w.add(v.isNumber() ? v.asDouble() : Double.NaN);
                }
            }
            weights.add(w.stream().mapToDouble(Double::doubleValue).toArray());
            biases.add(doubles(layer.path("b")));
        }
        return new Wiring(sizes, units, List.copyOf(weights), List.copyOf(biases));
    }

    /** One set of {@link #writeData}'s examples, or null. */
    public static Dataset readExamples(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        double[] points = doubles(node.path("points"));
        double[] labels = doubles(node.path("labels"));
        int m = labels.length;
        double[] x = new double[2 * m];
        for (int j = 0; j < m; j++) {
            x[j] = points[2 * j];
            x[m + j] = points[2 * j + 1];
        }
        return new Dataset(2, m, x, labels);
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = array.get(i);
            values[i] = v.isNumber() ? v.asDouble() : Double.NaN;
        }
        return values;
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }
}
