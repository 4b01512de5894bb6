package io.trainscope.nn;

/**
 * A network's output σ(z) on a grid over a {@link Plane}, for a decision-boundary view of a network with two
 * inputs. The grid has {@code side × side} cells; value {@code j·side + i} (row-major, row 0 at {@code yMin}) is
 * the output at the centre of cell {@code (i, j)}: {@code x = xMin + (i + ½)·(xMax − xMin)/side},
 * {@code y = yMin + (j + ½)·(yMax − yMin)/side}.
 *
 * <p>Bounded in time and memory whatever the network: the side is halved (down to {@link #MIN_SIDE}) until one
 * evaluation takes at most {@link #MAX_WORK} multiply-adds, and the grid goes through the network in blocks of
 * at most {@link #MAX_BLOCK_VALUES} activations, in buffers made once and reused by every {@link #evaluate}.
 * Not thread-safe: the thread that trains the network evaluates it, between steps.
 */
public final class Boundary {

    /** The default grid side. */
    public static final int SIDE = 64;
    public static final int MIN_SIDE = 8;
    /** About 0.1 s of one core's multiply-adds: 64×64 points through 65 000 parameters. */
    static final long MAX_WORK = 1L << 28;
    /** 8 MB of activations per block. */
    static final long MAX_BLOCK_VALUES = 1L << 20;

    private final Network network;
    private final Plane plane;
    private final int side;
    private final Network.Pass pass;
    private final double[] x;

    /**
     * @param maxSide a power of two from {@link #MIN_SIDE} to 1024: the side wanted, which a large network may halve
     */
    public Boundary(Network network, Plane plane, int maxSide) {
        int[] sizes = network.sizes();
        if (sizes[0] != 2) {
            throw new IllegalArgumentException("a decision boundary is drawn for networks of 2 inputs, this one has "
                    + sizes[0]);
        }
        if (Integer.bitCount(maxSide) != 1 || maxSide < MIN_SIDE || maxSide > 1024) {
            throw new IllegalArgumentException("the grid's side must be a power of two from " + MIN_SIDE
                    + " to 1024, got " + maxSide);
        }
        this.network = network;
        this.plane = plane;
        long madds = 0;
        long units = 0;
        for (int l = 1; l < sizes.length; l++) {
            madds += (long) sizes[l - 1] * sizes[l];
            units += sizes[l];
        }
        int s = maxSide;
        while (s > MIN_SIDE && (long) s * s * madds > MAX_WORK) {
            s /= 2;
        }
        this.side = s;
        // Points per block: a power of two, so that blocks cut the grid's side² points exactly.
        int block = side * side;
        while (block > 1 && block * units > MAX_BLOCK_VALUES) {
            block /= 2;
        }
        this.pass = network.pass(block);
        this.x = new double[2 * block];
    }

    /** The grid's side: the one asked for, or less for a large network. */
    public int side() {
        return side;
    }

    public Plane plane() {
        return plane;
    }

    /** The outputs at every cell centre, row-major from {@code (xMin, yMin)}; a new array each time. */
    public double[] evaluate() {
        int n = side * side;
        int block = x.length / 2;
        double[] values = new double[n];
        double dx = (plane.xMax() - plane.xMin()) / side;
        double dy = (plane.yMax() - plane.yMin()) / side;
        for (int start = 0; start < n; start += block) {
            for (int k = 0; k < block; k++) {
                int p = start + k;
                x[k] = plane.xMin() + (p % side + 0.5) * dx;
                x[block + k] = plane.yMin() + (p / side + 0.5) * dy;
            }
            network.outputs(pass, x, values, start);
        }
        return values;
    }
}
