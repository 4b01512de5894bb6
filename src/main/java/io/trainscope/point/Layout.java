package io.trainscope.point;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Columns laid out for a network of {@code depth} weight layers: each column's values are consecutive value
 * slots ("lanes"), a {@link Kind#WEIGHT_LAYER} column taking {@code depth} of them. {@link #of(int)} is the
 * {@link Schema}'s layout, what points are made of now; a metrics file written by an older version has a layout
 * of its own, the columns it knew ({@link #legacy}), mapped onto the schema's when it is read.
 */
public final class Layout {

    private final int depth;
    private final List<Column> columns;
    private final int[] offsets;
    private final int width;

    private Layout(int depth, List<Column> columns) {
        if (depth < 1) {
            throw new IllegalArgumentException("a network has at least one weight layer, got depth " + depth);
        }
        this.depth = depth;
        this.columns = List.copyOf(columns);
        this.offsets = new int[columns.size()];
        int at = 0;
        for (int c = 0; c < columns.size(); c++) {
            offsets[c] = at;
            at += columns.get(c).kind().width(depth);
        }
        this.width = at;
    }

    /** The schema's columns for {@code depth} weight layers. */
    public static Layout of(int depth) {
        return new Layout(depth, Schema.COLUMNS);
    }

    /** Some of the schema's columns, in the schema's order, as a file that predates the others holds them. */
    public static Layout of(int depth, List<Column> columns) {
        return new Layout(depth, columns);
    }

    /** The columns of a version-1 metrics file: the schema's as it was before {@code learningRate}. */
    public static Layout legacy(int depth) {
        return new Layout(depth, Schema.COLUMNS.stream().filter(c -> c != Schema.LEARNING_RATE).toList());
    }

    public int depth() {
        return depth;
    }

    public List<Column> columns() {
        return columns;
    }

    /** Value lanes of a point, all columns together. */
    public int width() {
        return width;
    }

    /** The first lane of {@code column}, or -1 when this layout lacks it. */
    public int offset(Column column) {
        int c = columns.indexOf(column);
        return c < 0 ? -1 : offsets[c];
    }

    public boolean has(Column column) {
        return columns.contains(column);
    }

    /**
     * For each lane of this layout, the lane of {@code target} holding the same value: how to read a file of an
     * older layout into points of the schema's.
     */
    public int[] lanesIn(Layout target) {
        if (target.depth != depth) {
            throw new IllegalArgumentException("layouts of depth " + depth + " and " + target.depth);
        }
        int[] lanes = new int[width];
        for (int c = 0; c < columns.size(); c++) {
            int to = target.offset(columns.get(c));
            if (to < 0) {
                throw new IllegalArgumentException("column " + columns.get(c).name() + " is not in the target layout");
            }
            for (int k = 0; k < columns.get(c).kind().width(depth); k++) {
                lanes[offsets[c] + k] = to + k;
            }
        }
        return lanes;
    }

    /** The columns of {@code target} that this layout lacks. */
    public List<Column> missingFrom(Layout target) {
        List<Column> missing = new ArrayList<>();
        for (Column c : target.columns) {
            if (!has(c)) {
                missing.add(c);
            }
        }
        return missing;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Layout l && l.depth == depth && l.columns.equals(columns);
    }

    @Override
    public int hashCode() {
        return Objects.hash(depth, columns);
    }

    @Override
    public String toString() {
        return "Layout[depth " + depth + ": " + String.join(", ", columns.stream().map(Column::name).toList())
                + ", " + Arrays.toString(offsets) + "]";
    }
}
