package io.trainscope.store;

import io.trainscope.point.Layout;
import io.trainscope.point.Points;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BlockCodecTest {

    /** Lanes that go where they are in the file: a file of the schema's own layout. */
    private static int[] identity(int width) {
        int[] lanes = new int[width];
        Arrays.setAll(lanes, i -> i);
        return lanes;
    }

    @Test
    void restoresEveryBitOfEveryValueForEverySizeOfBlock() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        BlockCodec codec = new BlockCodec();
        Layout layout = Layout.of(2);
        int width = layout.width();
        for (int n : new int[] {1, 2, 3, 63, 64, 65, 129, 1000, MetricsFile.BLOCK_POINTS}) {
            Points in = new Points(layout, n);
            long it = r.nextLong(0, Long.MAX_VALUE / 2);
            for (int i = 0; i < n; i++) {
                double[] lanes = new double[width];
                for (int lane = 0; lane < width; lane++) {
                    lanes[lane] = switch ((i + lane) % 6) {
                        case 0 -> Math.exp(-i * 1e-3);
                        case 1 -> i % 3 == 0 ? -0.0 : 0.5;
                        case 2 -> Double.longBitsToDouble(r.nextLong());
                        case 3 -> i % 7 == 0 ? TestPoints.oddNaN() : -r.nextDouble() * 1e-300;
                        case 4 -> Double.NEGATIVE_INFINITY;
                        default -> Double.MIN_VALUE;
                    };
                }
                in.add(it, lanes);
                it += 1 + (i % 5 == 0 ? r.nextLong(0, 1L << 40) : 0);
            }
            byte[] bytes = new byte[BlockCodec.maxPayload(width, n)];
            int length = codec.encode(in, bytes, 0);
            Points out = new Points(layout, MetricsFile.BLOCK_POINTS);
            codec.decode(bytes, 0, length, n, identity(width), out);
            assertEquals(n, out.size());
            assertArrayEquals(Arrays.copyOf(in.iterationColumn(), n), Arrays.copyOf(out.iterationColumn(), n));
            for (int lane = 0; lane < width; lane++) {
                for (int i = 0; i < n; i++) {
                    assertEquals(Double.doubleToRawLongBits(in.value(lane, i)), Double.doubleToRawLongBits(out.value(lane, i)),
                            "lane " + lane + " point " + i + " of " + n);
                }
            }
        }
    }

    @Test
    void lanesAreDecodedWhereTheMapSaysAndSkippedAtMinusOne() throws Exception {
        Layout layout = Layout.of(1);
        Points in = new Points(layout, 10);
        for (int i = 0; i < 10; i++) {
            double[] lanes = new double[layout.width()];
            for (int lane = 0; lane < lanes.length; lane++) {
                lanes[lane] = lane * 100 + i;
            }
            in.add(i, lanes);
        }
        byte[] bytes = new byte[BlockCodec.maxPayload(layout.width(), 10)];
        int length = new BlockCodec().encode(in, bytes, 0);
        int[] reversed = new int[layout.width()];
        Arrays.setAll(reversed, lane -> lane == 0 ? -1 : layout.width() - lane);
        Points out = new Points(layout, MetricsFile.BLOCK_POINTS);
        Arrays.fill(out.lane(0), 42);
        new BlockCodec().decode(bytes, 0, length, 10, reversed, out);
        for (int lane = 1; lane < layout.width(); lane++) {
            assertEquals(lane * 100 + 3, out.value(layout.width() - lane, 3));
        }
        assertEquals(42, out.value(0, 3), "a lane no file lane maps to is left as it was");
    }

    @Test
    void aShortPayloadIsReportedNotReadAsGarbage() {
        BlockCodec codec = new BlockCodec();
        Layout layout = Layout.of(1);
        Points in = new Points(layout, 100);
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < 100; i++) {
            in.add(i, r.doubles(layout.width()).toArray());
        }
        byte[] bytes = new byte[BlockCodec.maxPayload(layout.width(), 100)];
        int length = codec.encode(in, bytes, 0);
        Points out = new Points(layout, MetricsFile.BLOCK_POINTS);
        int[] lanes = identity(layout.width());
        assertThrows(CorruptBlockException.class, () -> codec.decode(bytes, 0, length - 1, 100, lanes, out));
        assertThrows(CorruptBlockException.class, () -> codec.decode(bytes, 0, length, 101, lanes, out));
    }
}
