package io.trainscope.run;

import io.trainscope.data.CsvData;
import io.trainscope.nn.Dataset;
import io.trainscope.nn.Datasets;
import io.trainscope.nn.Network;
import io.trainscope.nn.Split;
import io.trainscope.nn.Trainer;
import io.trainscope.spec.DataSpec;
import io.trainscope.spec.RunSpec;
import io.trainscope.spec.SpecException;
import io.trainscope.spec.SpecLimits;

/**
 * A run made ready from its spec: data loaded or generated, split, the network built and its trainer set up.
 * The CLI and the server's training verticle both start here, so a spec trains the same way in both.
 *
 * @param validation the held-out examples, null when the spec holds none out
 */
public record Training(RunSpec spec, Trainer trainer, Dataset train, Dataset validation) {

    /**
     * Loads the data (reading a CSV file if the spec names one), checks that it fits {@code layers[0]}, holds
     * out {@code validationSplit} by a shuffle seeded with the run's seed, and builds the network from
     * {@code initialParameters} or from {@code init} and {@code seed}.
     *
     * @throws SpecException when the data file is bad or does not fit the network
     */
    public static Training prepare(RunSpec spec) throws SpecException {
        Dataset all = load(spec.data());
        int[] layers = spec.layers();
        if (all.features() != layers[0]) {
            throw new SpecException("layers[0]", "must equal the data's " + all.features() + " features ("
                    + spec.data().describe() + "), got " + layers[0]);
        }
        if (spec.data() instanceof DataSpec.Csv csv) {
            long values = SpecLimits.activations(layers, all.samples());
            if (values > csv.limits().maxActivations()) {
                throw new SpecException(csv.path().toString(), all.samples() + " examples need " + values
                        + " activation values in this network, more than the limit of " + csv.limits().maxActivations());
            }
        }
        Split split;
        try {
            split = Split.of(all, spec.validationSplit(), spec.seed());
        } catch (IllegalArgumentException e) {
            throw new SpecException("validationSplit", e.getMessage());
        }
        Network network = spec.initialParameters() == null
                ? Network.create(layers, spec.init(), spec.seed())
                : Network.of(layers, spec.initialParameters().weights(), spec.initialParameters().biases());
        Trainer trainer = new Trainer(network, split.train(), split.validation(), spec.learningRate());
        return new Training(spec, trainer, split.train(), split.validation());
    }

    private static Dataset load(DataSpec data) throws SpecException {
        if (data instanceof DataSpec.BuiltIn b) {
            return Datasets.generate(b.name(), b.samples(), b.noise(), b.seed(), b.features());
        }
        if (data instanceof DataSpec.Inline inline) {
            return inline.dataset();
        }
        DataSpec.Csv csv = (DataSpec.Csv) data;
        return CsvData.read(csv.path(), csv.limits().maxSamples(), csv.limits().maxActivations());
    }
}
