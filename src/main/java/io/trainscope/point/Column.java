package io.trainscope.point;

import io.trainscope.nn.StepMetrics;

/**
 * One column of a point: its name (the JSON field, and the stem of its CSV columns), how many values it holds
 * ({@link Kind}), whether it may be absent, and where its values come from in a {@link StepMetrics}.
 *
 * @param name     the JSON field: {@code cost}, {@code weightNorms}, …
 * @param csvStem  the CSV column for a {@link Kind#RUN} column, else the stem numbered per layer
 *                 ({@code weightNorm1}, {@code weightNorm2}, …)
 * @param optional absent (left out of JSON, CSV and the page) when NaN, as the validation columns of a run that
 *                 holds nothing out; a column that is not optional is always written, a non-finite value as
 *                 {@code null} in JSON and an empty CSV cell
 * @param source   the value at {@code index} (a layer, 0 for a run column) of a step's metrics
 */
public record Column(String name, String csvStem, Kind kind, boolean optional, Source source) {

    /** Where a column's values are read from when a step is recorded. */
    @FunctionalInterface
    public interface Source {
        double value(StepMetrics m, int index);
    }

    static Column run(String name, java.util.function.ToDoubleFunction<StepMetrics> value) {
        return new Column(name, name, Kind.RUN, false, (m, i) -> value.applyAsDouble(m));
    }

    static Column optional(String name, java.util.function.ToDoubleFunction<StepMetrics> value) {
        return new Column(name, name, Kind.RUN, true, (m, i) -> value.applyAsDouble(m));
    }

    static Column perLayer(String name, String csvStem, Kind kind, Source source) {
        return new Column(name, csvStem, kind, false, source);
    }
}
