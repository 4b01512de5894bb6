package io.trainscope.point;

import java.util.List;
import java.util.Optional;

/**
 * The one list of what a metrics point holds (CONTRACT.md, "Metrics: one point per iteration"), in the order
 * every writer and reader of points uses: the JSON and CSV writers, the store's block codec and summary, the
 * downsampler, the Prometheus export and the page's series all derive from it. Adding a metric is its
 * computation in {@code nn} (a field of {@code StepMetrics}) plus one entry here. Each point also has its
 * iteration, which is no column: points are ordered and addressed by it.
 *
 * <p>New columns go at the end, so that a CSV read by position keeps its columns, and a metrics file written
 * before a column existed still reads (the column is missing from its header: see {@link Layout}).
 */
public final class Schema {

    public static final Column COST = Column.run("cost", m -> m.cost);
    public static final Column ACCURACY = Column.run("accuracy", m -> m.accuracy);
    public static final Column WEIGHT_NORMS = Column.perLayer("weightNorms", "weightNorm", Kind.WEIGHT_LAYER,
            (m, l) -> m.weightNorms[l]);
    public static final Column GRADIENT_NORMS = Column.perLayer("gradientNorms", "gradientNorm", Kind.WEIGHT_LAYER,
            (m, l) -> m.gradientNorms[l]);
    public static final Column VALIDATION_COST = Column.optional("validationCost", m -> m.validationCost);
    public static final Column VALIDATION_ACCURACY = Column.optional("validationAccuracy", m -> m.validationAccuracy);
    public static final Column LEARNING_RATE = Column.run("learningRate", m -> m.learningRate);

    /** Every column, in order. The cost comes first: downsampling keeps each bucket's least and greatest cost. */
    public static final List<Column> COLUMNS = List.of(COST, ACCURACY, WEIGHT_NORMS, GRADIENT_NORMS, VALIDATION_COST,
            VALIDATION_ACCURACY, LEARNING_RATE);

    private Schema() {
    }

    public static Optional<Column> column(String name) {
        return COLUMNS.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
