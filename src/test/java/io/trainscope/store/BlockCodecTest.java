package io.trainscope.store;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BlockCodecTest {

    @Test
    void restoresEveryBitOfEveryValueForEverySizeOfBlock() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        BlockCodec codec = new BlockCodec();
        int depth = 2;
        for (int n : new int[] {1, 2, 3, 63, 64, 65, 129, 1000, PointBuffer.BLOCK_POINTS}) {
            PointBuffer in = new PointBuffer(depth);
            long it = r.nextLong(0, Long.MAX_VALUE / 2);
            for (int i = 0; i < n; i++) {
                double[] w = {r.nextDouble(), Double.longBitsToDouble(r.nextLong())};
                double[] g = {i % 7 == 0 ? TestPoints.oddNaN() : -r.nextDouble() * 1e-300, Double.NEGATIVE_INFINITY};
                in.add(it, Math.exp(-i * 1e-3), i % 3 == 0 ? -0.0 : 0.5, w, g, Double.NaN, Double.MIN_VALUE);
                it += 1 + (i % 5 == 0 ? r.nextLong(0, 1L << 40) : 0);
            }
            byte[] bytes = new byte[BlockCodec.maxPayload(depth, n)];
            int length = codec.encode(in, bytes, 0);
            PointBuffer out = new PointBuffer(depth);
            codec.decode(bytes, 0, length, n, out);
            assertEquals(n, out.size);
            assertArrayEquals(java.util.Arrays.copyOf(in.iterations, n), java.util.Arrays.copyOf(out.iterations, n));
            for (int c = 0; c < in.values.length; c++) {
                for (int i = 0; i < n; i++) {
                    assertEquals(Double.doubleToRawLongBits(in.values[c][i]), Double.doubleToRawLongBits(out.values[c][i]),
                            "column " + c + " point " + i + " of " + n);
                }
            }
        }
    }

    @Test
    void aShortPayloadIsReportedNotReadAsGarbage() {
        BlockCodec codec = new BlockCodec();
        PointBuffer in = new PointBuffer(1);
        for (int i = 0; i < 100; i++) {
            in.add(i, Math.random(), 1, new double[] {Math.random()}, new double[] {Math.random()}, Double.NaN, Double.NaN);
        }
        byte[] bytes = new byte[BlockCodec.maxPayload(1, 100)];
        int length = codec.encode(in, bytes, 0);
        PointBuffer out = new PointBuffer(1);
        assertThrows(CorruptBlockException.class, () -> codec.decode(bytes, 0, length - 1, 100, out));
        assertThrows(CorruptBlockException.class, () -> codec.decode(bytes, 0, length, 101, out));
    }
}
