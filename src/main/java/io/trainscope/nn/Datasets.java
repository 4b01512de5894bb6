package io.trainscope.nn;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Built-in two-class datasets, after TensorFlow Playground's, generated deterministically from a seed.
 * Every generator alternates the label from one example to the next, so the classes are balanced exactly
 * ({@code samples / 2} of each, the extra one labelled 0 when {@code samples} is odd).
 *
 * <p>{@code noise} is the standard deviation of Gaussian jitter added to every input coordinate after a
 * point is placed; labels stay as the clean point's, so noise blurs the boundary without mislabelling
 * (as in the Playground). The shapes live in about {@code [-1, 1]} per coordinate, so noise 0.1 is mild and
 * 0.5 makes the classes overlap heavily.
 * <ul>
 *   <li>{@code xor}: uniform points in the four quadrants of {@code [-1, 1]²}, kept a margin of 0.05 off the
 *       axes; label 1 where {@code x·y > 0}.</li>
 *   <li>{@code circle}: label 1 inside radius 0.5, label 0 in the ring from 0.7 to 1.0.</li>
 *   <li>{@code spiral}: two interleaved spirals of 1.75 turns, radius growing from 0 to 1.</li>
 *   <li>{@code gaussian}: two Gaussian blobs in {@code features} dimensions, each coordinate spread with
 *       standard deviation 0.5 around centres {@code ±(1, …, 1)/√features}, which are 2 apart in any
 *       dimension; noise adds to that spread.</li>
 * </ul>
 */
public final class Datasets {

    public static final List<String> NAMES = List.of("xor", "circle", "spiral", "gaussian");
    public static final int DEFAULT_SAMPLES = 200;
    public static final double DEFAULT_NOISE = 0.1;
    /** Input dimension of every dataset but {@code gaussian}, whose dimension is chosen. */
    public static final int PLANE = 2;

    private static final double XOR_MARGIN = 0.05;
    private static final double CIRCLE_INNER = 0.5;
    private static final double RING_FROM = 0.7;
    private static final double SPIRAL_TURNS = 1.75;
    private static final double BLOB_SPREAD = 0.5;

    private Datasets() {
    }

    /**
     * The named dataset. {@code features} must be 2 except for {@code gaussian}.
     *
     * @throws IllegalArgumentException for an unknown name or arguments out of range
     */
    public static Dataset generate(String name, int samples, double noise, long seed, int features) {
        if (samples < 1 || !(noise >= 0) || !Double.isFinite(noise) || features < 1) {
            throw new IllegalArgumentException("need samples >= 1, finite noise >= 0 and features >= 1, got "
                    + samples + ", " + noise + ", " + features);
        }
        if (!name.equals("gaussian") && features != PLANE) {
            throw new IllegalArgumentException(name + " has " + PLANE + " features, not " + features);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[features * samples];
        double[] y = new double[samples];
        double[] point = new double[features];
        for (int j = 0; j < samples; j++) {
            int label = j % 2;
            switch (name) {
                case "xor" -> xor(label, random, point);
                case "circle" -> circle(label, random, point);
                case "spiral" -> spiral(label, j / 2, (samples + 1) / 2, point);
                case "gaussian" -> gaussian(label, random, point);
                default -> throw new IllegalArgumentException("unknown dataset " + name + "; known: " + NAMES);
            }
            y[j] = label;
            for (int f = 0; f < features; f++) {
                x[f * samples + j] = point[f] + noise * random.nextGaussian();
            }
        }
        return new Dataset(features, samples, x, y);
    }

    private static void xor(int label, SplittableRandom random, double[] point) {
        double a = random.nextDouble(XOR_MARGIN, 1.0) * (random.nextBoolean() ? 1 : -1);
        double b = random.nextDouble(XOR_MARGIN, 1.0) * Math.signum(a) * (label == 1 ? 1 : -1);
        point[0] = a;
        point[1] = b;
    }

    private static void circle(int label, SplittableRandom random, double[] point) {
        // √ of a uniform radius² spreads points evenly over the area, not bunched at the centre.
        double radius = label == 1
                ? CIRCLE_INNER * Math.sqrt(random.nextDouble())
                : Math.sqrt(random.nextDouble(RING_FROM * RING_FROM, 1.0));
        double angle = random.nextDouble(2 * Math.PI);
        point[0] = radius * Math.cos(angle);
        point[1] = radius * Math.sin(angle);
    }

    /** The {@code k}-th of {@code n} points along the label's arm; the two arms are half a turn apart. */
    private static void spiral(int label, int k, int n, double[] point) {
        double t = (double) k / n;
        double angle = SPIRAL_TURNS * 2 * Math.PI * t + label * Math.PI;
        point[0] = t * Math.sin(angle);
        point[1] = t * Math.cos(angle);
    }

    private static void gaussian(int label, SplittableRandom random, double[] point) {
        double centre = (label == 1 ? 1 : -1) / Math.sqrt(point.length);
        for (int f = 0; f < point.length; f++) {
            point[f] = centre + BLOB_SPREAD * random.nextGaussian();
        }
    }
}
