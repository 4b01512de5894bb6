package io.trainscope.spec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.nn.Dataset;

import java.util.Locale;

/**
 * A {@link RunSpec} back into the contract's JSON, every default written out, so that what is stored or
 * sent is the run as it was actually made. {@link SpecParser} reads it back to an equal spec.
 */
public final class SpecJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SpecJson() {
    }

    public static ObjectNode toJson(RunSpec spec) {
        ObjectNode out = NODES.objectNode();
        if (spec.name() != null) {
            out.put("name", spec.name());
        }
        ArrayNode layers = out.putArray("layers");
        for (int n : spec.layers()) {
            layers.add(n);
        }
        out.put("learningRate", spec.learningRate());
        out.put("iterations", spec.iterations());
        out.put("init", spec.init().name().toLowerCase(Locale.ROOT));
        out.put("seed", spec.seed());
        DataSpec source = spec.data();
        if (source instanceof DataSpec.BuiltIn b) {
            ObjectNode dataset = out.putObject("dataset");
            dataset.put("name", b.name());
            dataset.put("samples", b.samples());
            dataset.put("noise", b.noise());
            dataset.put("seed", b.seed());
            dataset.put("features", b.features());
        } else if (source instanceof DataSpec.Inline inline) {
            Dataset d = inline.dataset();
            ObjectNode data = out.putObject("data");
            data.set("X", ParametersJson.matrix(d.x(), d.features(), d.samples()));
            data.set("Y", ParametersJson.matrix(d.y(), 1, d.samples()));
        } else if (source instanceof DataSpec.Csv csv) {
            out.putObject("data").put("csv", csv.path().toString());
        }
        if (spec.initialParameters() != null) {
            out.set("initialParameters", ParametersJson.write(spec.initialParameters(), spec.layers()));
        }
        out.put("validationSplit", spec.validationSplit());
        return out;
    }

    /** The spec as compact JSON text. */
    public static String write(RunSpec spec) {
        return toJson(spec).toString();
    }
}
