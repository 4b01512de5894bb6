package io.trainscope.store;

import io.trainscope.point.Layout;
import io.trainscope.point.Points;

/**
 * The store's column codec ({@link BlockCodec}: delta-of-delta, bit-packed; about 34 bytes a [2,16,16,1] point
 * against 152 as raw doubles) for points that travel rather than rest: the cluster's points blocks. At most
 * {@link #MAX_POINTS} points at a time. Every value comes back bit for bit. Not thread-safe: one per thread.
 */
public final class PointsCodec {

    public static final int MAX_POINTS = MetricsFile.BLOCK_POINTS;

    private final BlockCodec codec = new BlockCodec();

    /** The encoded points, at most {@link #MAX_POINTS} of them. */
    public byte[] encode(Points points) {
        if (points.size() > MAX_POINTS) {
            throw new IllegalArgumentException(points.size() + " points; at most " + MAX_POINTS + " at a time");
        }
        if (points.isEmpty()) {
            return new byte[0];
        }
        byte[] out = new byte[BlockCodec.maxPayload(points.layout().width(), points.size())];
        int n = codec.encode(points, out, 0);
        return java.util.Arrays.copyOf(out, n);
    }

    /** {@code count} points of {@code layout} from {@code in[offset, offset + length)}; null when they are not that. */
    public Points decode(byte[] in, int offset, int length, int count, Layout layout) {
        Points points = new Points(layout, count);
        if (count == 0) {
            return length == 0 ? points : null;
        }
        int[] lanes = new int[layout.width()];
        for (int lane = 0; lane < lanes.length; lane++) {
            lanes[lane] = lane;
        }
        try {
            codec.decode(in, offset, length, count, lanes, points);
            return points;
        } catch (CorruptBlockException | RuntimeException e) {
            return null;
        }
    }
}
