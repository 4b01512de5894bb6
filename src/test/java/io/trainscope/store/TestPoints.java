package io.trainscope.store;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Test data: plausible training curves with the awkward cases mixed in (NaN, infinities, gaps). */
final class TestPoints {

    private TestPoints() {
    }

    /** {@code n} points of {@code depth} layers from iteration {@code start}, gaps of up to {@code maxGap} - 1. */
    static List<Point> random(long seed, int n, int depth, long start, int maxGap) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Point> out = new ArrayList<>(n);
        long it = start;
        double cost = 0.7;
        for (int i = 0; i < n; i++) {
            cost *= 1 - r.nextDouble(-0.001, 0.003);
            double c = switch (r.nextInt(200)) {
                case 0 -> Double.NaN;
                case 1 -> Double.POSITIVE_INFINITY;
                case 2 -> r.nextDouble(-1e300, 1e300);
                default -> cost;
            };
            double[] w = new double[depth];
            double[] g = new double[depth];
            for (int l = 0; l < depth; l++) {
                w[l] = 3 + l + i * 1e-4 + r.nextDouble() * 1e-6;
                g[l] = r.nextInt(50) == 0 ? Double.NaN : r.nextDouble();
            }
            boolean validation = r.nextBoolean();
            out.add(new Point(it, c, r.nextInt(10) / 10.0, w, g,
                    validation ? r.nextDouble() : Double.NaN, validation ? r.nextDouble() : Double.NaN));
            it += 1 + (maxGap > 1 && r.nextInt(4) == 0 ? r.nextInt(maxGap) : 0);
        }
        return out;
    }

    /** Appends {@code points} to {@code log}, a batch at a time. */
    static void append(RunLog log, List<Point> points) {
        if (!points.isEmpty()) {
            int depth = points.get(0).depth();
            for (int from = 0; from < points.size(); from += 1000) {
                List<Point> part = points.subList(from, Math.min(points.size(), from + 1000));
                log.append(Point.batch(part, depth), 0, part.size());
            }
        }
    }

    /** Every durable point of {@code log}, as values. */
    static List<Point> all(RunLog log) throws java.io.IOException {
        return Point.rows(log.read(0, Long.MAX_VALUE));
    }

    /** A NaN with a payload other than Java's canonical one: must survive bit for bit. */
    static double oddNaN() {
        return Double.longBitsToDouble(0x7ff8_0000_dead_beefL);
    }
}
