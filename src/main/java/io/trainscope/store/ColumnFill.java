package io.trainscope.store;

import io.trainscope.point.Column;

/**
 * Values for a column that a metrics file lacks because it was written before the column existed, worked out
 * from what else is known of the run (its spec, its record), or NaN when nothing is.
 */
@FunctionalInterface
public interface ColumnFill {

    /** Nothing known: NaN. */
    ColumnFill NONE = (column, index, iteration) -> Double.NaN;

    /** Value {@code index} of {@code column} at {@code iteration}. */
    double value(Column column, int index, long iteration);
}
