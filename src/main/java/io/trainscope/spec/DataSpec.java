package io.trainscope.spec;

import io.trainscope.nn.Dataset;

import java.nio.file.Path;

/** Where a run's examples come from: a built-in generator, inline values, or a CSV file. */
public sealed interface DataSpec {

    String describe();

    /**
     * A built-in dataset by name ({@code xor}, {@code circle}, {@code spiral}, {@code gaussian}).
     * {@code features} is the input dimension (2 for all but {@code gaussian}).
     */
    record BuiltIn(String name, int samples, double noise, long seed, int features) implements DataSpec {
        public String describe() {
            return name + (features != 2 ? "(" + features + "d)" : "") + " n=" + samples;
        }
    }

    /** Values given in the spec itself, in the seed's layout. */
    record Inline(Dataset dataset) implements DataSpec {
        public String describe() {
            return "inline n=" + dataset.samples();
        }
    }

    /**
     * A CSV file: numeric columns, the last one the 0/1 label, an optional header row. It is read when the
     * run is prepared, within {@code limits}.
     */
    record Csv(Path path, SpecLimits limits) implements DataSpec {
        public Csv(Path path) {
            this(path, SpecLimits.DEFAULT);
        }

        public String describe() {
            return "csv " + path.getFileName();
        }
    }
}
