package io.trainscope.server.cluster;

import io.trainscope.nn.Dataset;
import io.trainscope.nn.GradientCheck;
import io.trainscope.nn.Histogram;
import io.trainscope.nn.LayerHistograms;
import io.trainscope.nn.Plane;
import io.trainscope.nn.Wiring;
import io.trainscope.server.bus.BoundarySnapshot;
import io.trainscope.server.bus.DataSnapshot;
import io.trainscope.server.bus.GradientCheckReport;
import io.trainscope.server.bus.HistogramsSnapshot;
import io.trainscope.server.bus.KeptViews;
import io.trainscope.server.bus.NetworkSnapshot;
import io.trainscope.server.bus.View;
import io.trainscope.server.bus.ViewSnapshot;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The views of a run between nodes (wire version 3, {@link ClusterWire}): binary, big-endian, every array with its
 * length first. A snapshot is {@code version:u8, view:u8 (0 histograms, 1 boundary, 2 network), runId:utf8 (u16
 * length), iteration:i64}, then its view: histograms as {@code kept:u8, stride:i64, layers:u16} and per layer W, dW
 * and the activations each as {@code bins:u16, edges:f64[bins+1], counts:i32[bins], nonFinite:i32} (bins 0xFFFF: none,
 * before the first iteration); a boundary as
 * {@code plane:f64[4], side:u16, values:f64[side²]}; a network as {@code sizes:i32[u16]}, the units shown of each
 * layer {@code i32[u16]}, then each weight layer's weights and biases {@code f64[i32]}. What a run keeps ({@code kept}
 * replies) is made of the same parts. A reader checks each length against the bytes left, so a malformed block
 * from another node is refused ({@link ClusterWire.WireException}), never allocated.
 */
final class ViewWire {

    /** In place of a histogram's bin count: no histogram. */
    private static final int NO_HISTOGRAM = 0xFFFF;

    private ViewWire() {
    }

    // Snapshots.

    static Buffer snapshot(ViewSnapshot snapshot) {
        Buffer out = Buffer.buffer(256);
        out.appendByte((byte) ClusterWire.VERSION).appendByte((byte) snapshot.view().ordinal());
        string(out, snapshot.runId());
        out.appendLong(snapshot.iteration());
        if (snapshot instanceof HistogramsSnapshot h) {
            out.appendByte((byte) (h.kept() ? 1 : 0)).appendLong(h.stride()).appendUnsignedShort(h.layers().size());
            for (LayerHistograms layer : h.layers()) {
                histogram(out, layer.weights());
                histogram(out, layer.gradients());
                histogram(out, layer.activations());
            }
        } else if (snapshot instanceof BoundarySnapshot b) {
            plane(out, b.plane());
            out.appendUnsignedShort(b.side());
            doubles(out, b.values());
        } else {
            Wiring wiring = ((NetworkSnapshot) snapshot).wiring();
            ints(out, wiring.sizes());
            for (int[] units : wiring.units()) {
                ints(out, units);
            }
            for (int l = 0; l < wiring.weights().size(); l++) {
                doubles(out, wiring.weights().get(l));
                doubles(out, wiring.biases().get(l));
            }
        }
        return out;
    }

    static ViewSnapshot snapshot(Buffer buffer) {
        In in = new In(buffer);
        int version = in.u8();
        if (version != ClusterWire.VERSION) {
            throw new ClusterWire.WireException("a view block of version " + version + "; this node reads version "
                    + ClusterWire.VERSION);
        }
        return in.snapshot();
    }

    // What a run keeps: one part per request.

    static Buffer keptHistograms(KeptViews.Histograms kept) {
        Buffer out = Buffer.buffer().appendLong(kept.stride()).appendInt(kept.snapshots().size());
        for (HistogramsSnapshot snapshot : kept.snapshots()) {
            Buffer one = snapshot(snapshot);
            out.appendInt(one.length()).appendBuffer(one);
        }
        return out;
    }

    static KeptViews.Histograms keptHistograms(Buffer buffer) {
        In in = new In(buffer);
        long stride = in.i64();
        int n = in.count(4);
        List<HistogramsSnapshot> snapshots = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ViewSnapshot one = snapshot(in.bytes(in.count(1)));
            if (!(one instanceof HistogramsSnapshot h)) {
                throw new ClusterWire.WireException("kept histograms hold a " + one.view().wire() + " snapshot");
            }
            snapshots.add(h);
        }
        return new KeptViews.Histograms(stride, snapshots);
    }

    /** A boundary or network as kept, or an empty buffer for none. */
    static Buffer keptSnapshot(ViewSnapshot snapshot) {
        return snapshot == null ? Buffer.buffer() : snapshot(snapshot);
    }

    static ViewSnapshot keptSnapshot(Buffer buffer) {
        return buffer.length() == 0 ? null : snapshot(buffer);
    }

    /** A run's examples, or an empty buffer for none. */
    static Buffer data(DataSnapshot data) {
        Buffer out = Buffer.buffer();
        if (data == null) {
            return out;
        }
        string(out, data.runId());
        plane(out, data.plane());
        dataset(out, data.train());
        out.appendInt(data.trainTotal()).appendByte((byte) (data.validation() == null ? 0 : 1));
        if (data.validation() != null) {
            dataset(out, data.validation());
        }
        return out.appendInt(data.validationTotal());
    }

    static DataSnapshot data(Buffer buffer) {
        if (buffer.length() == 0) {
            return null;
        }
        In in = new In(buffer);
        String runId = in.string();
        Plane plane = in.plane();
        Dataset train = in.dataset();
        int trainTotal = in.i32();
        Dataset validation = in.u8() == 1 ? in.dataset() : null;
        return new DataSnapshot(runId, plane, train, trainTotal, validation, in.i32());
    }

    // A gradient check's report, inside a command's JSON reply.

    static JsonObject check(GradientCheckReport report) {
        if (report == null) {
            return null;
        }
        JsonArray layers = new JsonArray();
        for (GradientCheck.LayerErrors layer : report.result().layers()) {
            layers.add(tensor(layer.weights())).add(tensor(layer.biases()));
        }
        GradientCheck.Result result = report.result();
        return new JsonObject().put("runId", report.runId()).put("iteration", report.iteration())
                .put("elapsedMs", report.elapsedMs()).put("maxRelativeError", number(result.maxRelativeError()))
                .put("examples", result.examples()).put("samples", result.samples()).put("layers", layers);
    }

    static GradientCheckReport check(JsonObject json) {
        if (json == null) {
            return null;
        }
        JsonArray tensors = json.getJsonArray("layers");
        List<GradientCheck.LayerErrors> layers = new ArrayList<>();
        for (int i = 0; i + 1 < tensors.size(); i += 2) {
            layers.add(new GradientCheck.LayerErrors(tensor(tensors.getJsonArray(i)), tensor(tensors.getJsonArray(i + 1))));
        }
        return new GradientCheckReport(json.getString("runId"), json.getLong("iteration"), new GradientCheck.Result(
                real(json.getValue("maxRelativeError")), layers, json.getInteger("examples"), json.getInteger("samples")),
                json.getLong("elapsedMs"));
    }

    private static JsonArray tensor(GradientCheck.TensorError t) {
        return new JsonArray().add(number(t.error())).add(t.checked()).add(t.kinks()).add(t.size());
    }

    private static GradientCheck.TensorError tensor(JsonArray t) {
        return new GradientCheck.TensorError(real(t.getValue(0)), t.getInteger(1), t.getInteger(2), t.getInteger(3));
    }

    private static Double number(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static double real(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    // Writing.

    private static void string(Buffer out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.appendUnsignedShort(bytes.length).appendBytes(bytes);
    }

    /** A histogram, or {@link #NO_HISTOGRAM} for none (gradients and activations before the first iteration). */
    private static void histogram(Buffer out, Histogram h) {
        if (h == null) {
            out.appendUnsignedShort(NO_HISTOGRAM);
            return;
        }
        out.appendUnsignedShort(h.counts().length);
        for (double edge : h.edges()) {
            out.appendDouble(edge);
        }
        for (int count : h.counts()) {
            out.appendInt(count);
        }
        out.appendInt(h.nonFinite());
    }

    private static void plane(Buffer out, Plane p) {
        out.appendDouble(p.xMin()).appendDouble(p.xMax()).appendDouble(p.yMin()).appendDouble(p.yMax());
    }

    private static void dataset(Buffer out, Dataset d) {
        out.appendInt(d.features()).appendInt(d.samples());
        doubles(out, d.x());
        doubles(out, d.y());
    }

    private static void ints(Buffer out, int[] values) {
        out.appendUnsignedShort(values.length);
        for (int v : values) {
            out.appendInt(v);
        }
    }

    private static void doubles(Buffer out, double[] values) {
        out.appendInt(values.length);
        for (double v : values) {
            out.appendDouble(v);
        }
    }

    /** A reader over a buffer that refuses what runs past its end. */
    private static final class In {
        private final Buffer buffer;
        private int at;

        In(Buffer buffer) {
            this.buffer = buffer;
        }

        private void need(long bytes) {
            if (bytes < 0 || at + bytes > buffer.length()) {
                throw new ClusterWire.WireException("a view block ends early (" + buffer.length() + " bytes)");
            }
        }

        /** Where the next {@code n} bytes start, once they are known to be there. */
        private int advance(int n) {
            need(n);
            at += n;
            return at - n;
        }

        int u8() {
            return buffer.getUnsignedByte(advance(1));
        }

        int u16() {
            return buffer.getUnsignedShort(advance(2));
        }

        int i32() {
            return buffer.getInt(advance(4));
        }

        long i64() {
            return buffer.getLong(advance(8));
        }

        double f64() {
            return buffer.getDouble(advance(8));
        }

        /** A count read as i32, of items of at least {@code size} bytes each, that the bytes left can hold. */
        int count(int size) {
            int n = i32();
            need((long) n * size);
            return n;
        }

        Buffer bytes(int n) {
            need(n);
            Buffer slice = buffer.getBuffer(at, at + n);
            at += n;
            return slice;
        }

        String string() {
            int n = u16();
            need(n);
            String s = buffer.getString(at, at + n, "UTF-8");
            at += n;
            return s;
        }

        Plane plane() {
            return new Plane(f64(), f64(), f64(), f64());
        }

        Histogram histogram() {
            int bins = u16();
            if (bins == NO_HISTOGRAM) {
                return null;
            }
            need(12L * bins + 12);
            double[] edges = new double[bins + 1];
            for (int i = 0; i <= bins; i++) {
                edges[i] = f64();
            }
            int[] counts = new int[bins];
            for (int i = 0; i < bins; i++) {
                counts[i] = i32();
            }
            return new Histogram(edges, counts, i32());
        }

        /** {@code i32[u16]}; read in index order ({@code setAll} is sequential). */
        int[] ints() {
            int n = u16();
            need(4L * n);
            int[] values = new int[n];
            java.util.Arrays.setAll(values, i -> i32());
            return values;
        }

        /** {@code f64[i32]}. */
        double[] doubles() {
            double[] values = new double[count(8)];
            java.util.Arrays.setAll(values, i -> f64());
            return values;
        }

        Dataset dataset() {
            try {
                return new Dataset(i32(), i32(), doubles(), doubles());
            } catch (IllegalArgumentException e) {
                throw new ClusterWire.WireException("a run's examples could not be read: " + e.getMessage());
            }
        }

        ViewSnapshot snapshot() {
            int kind = u8();
            if (kind >= View.values().length) {
                throw new ClusterWire.WireException("a view block of an unknown view (" + kind + ")");
            }
            String runId = string();
            long iteration = i64();
            try {
                return switch (View.values()[kind]) {
                    case HISTOGRAMS -> {
                        boolean kept = u8() == 1;
                        long stride = i64();
                        int n = u16();
                        List<LayerHistograms> layers = new ArrayList<>(n);
                        for (int l = 0; l < n; l++) {
                            layers.add(new LayerHistograms(histogram(), histogram(), histogram()));
                        }
                        yield new HistogramsSnapshot(runId, iteration, layers, kept, stride);
                    }
                    case BOUNDARY -> {
                        Plane plane = plane();
                        int side = u16();
                        double[] values = doubles();
                        if (values.length != side * side) {
                            throw new ClusterWire.WireException("a boundary of side " + side + " holds " + values.length
                                    + " values");
                        }
                        yield new BoundarySnapshot(runId, iteration, plane, side, values);
                    }
                    case NETWORK -> {
                        int[] sizes = ints();
                        int[][] units = new int[sizes.length][];
                        for (int k = 0; k < sizes.length; k++) {
                            units[k] = ints();
                        }
                        List<double[]> weights = new ArrayList<>();
                        List<double[]> biases = new ArrayList<>();
                        for (int l = 1; l < sizes.length; l++) {
                            weights.add(doubles());
                            biases.add(doubles());
                        }
                        yield new NetworkSnapshot(runId, iteration, new Wiring(sizes, units, weights, biases));
                    }
                };
            } catch (IllegalArgumentException e) {
                throw new ClusterWire.WireException("a view block of run " + runId + " could not be read: "
                        + e.getMessage());
            }
        }
    }
}
