package io.trainscope.store;

import io.trainscope.nn.StepMetrics;
import io.trainscope.point.Column;
import io.trainscope.point.Layout;
import io.trainscope.point.Points;
import io.trainscope.point.Schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One point as a value, for tests that compare points bit for bit: its iteration and its lanes in the schema's
 * layout. NaN equals NaN when the bits do (a record would compare the arrays by identity).
 */
record Point(long iteration, double[] lanes) {

    Point {
        lanes = lanes.clone();
    }

    /** A point of the schema's columns given one by one; the learning rate is 0.1. */
    Point(long iteration, double cost, double accuracy, double[] weightNorms, double[] gradientNorms,
          double validationCost, double validationAccuracy) {
        this(iteration, lanes(cost, accuracy, weightNorms, gradientNorms, validationCost, validationAccuracy, 0.1));
    }

    private static double[] lanes(double cost, double accuracy, double[] w, double[] g, double vc, double va, double lr) {
        StepMetrics m = new StepMetrics(w.length);
        m.cost = cost;
        m.accuracy = accuracy;
        System.arraycopy(w, 0, m.weightNorms, 0, w.length);
        System.arraycopy(g, 0, m.gradientNorms, 0, g.length);
        m.validationCost = vc;
        m.validationAccuracy = va;
        m.learningRate = lr;
        return of(m).lanes;
    }

    static Point of(StepMetrics m) {
        Points one = new Points(m.weightNorms.length, 1);
        one.add(m);
        return of(one, 0);
    }

    static Point of(Points points, int p) {
        double[] lanes = new double[points.layout().width()];
        for (int lane = 0; lane < lanes.length; lane++) {
            lanes[lane] = points.value(lane, p);
        }
        return new Point(points.iteration(p), lanes);
    }

    static List<Point> rows(Points points) {
        List<Point> out = new ArrayList<>(points.size());
        for (int p = 0; p < points.size(); p++) {
            out.add(of(points, p));
        }
        return out;
    }

    static Points batch(List<Point> points, int depth) {
        Points out = new Points(Layout.of(depth), points.size());
        points.forEach(p -> out.add(p.iteration, p.lanes));
        return out;
    }

    double value(Column column, int index) {
        return lanes[Layout.of(depth()).offset(column) + index];
    }

    double cost() {
        return value(Schema.COST, 0);
    }

    int depth() {
        // Lanes: 2·L weight and gradient norms plus the run's single values.
        int runColumns = (int) Schema.COLUMNS.stream().filter(c -> c.kind() == io.trainscope.point.Kind.RUN).count();
        return (lanes.length - runColumns) / 2;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Point p) || p.iteration != iteration || p.lanes.length != lanes.length) {
            return false;
        }
        for (int i = 0; i < lanes.length; i++) {
            if (Double.doubleToRawLongBits(lanes[i]) != Double.doubleToRawLongBits(p.lanes[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(iteration) * 31 + Arrays.hashCode(lanes);
    }

    @Override
    public String toString() {
        return "Point[" + iteration + ": " + Arrays.toString(lanes) + "]";
    }
}
