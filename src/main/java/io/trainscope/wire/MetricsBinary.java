package io.trainscope.wire;

import io.trainscope.point.Layout;
import io.trainscope.point.Points;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Points as compact binary columns, for viewers that ask for them ({@code /ws?encoding=binary}, docs/protocol.md):
 * about a fifth of the bytes of the JSON objects for a live update, a tenth for a history. Little-endian: each
 * point's iteration as a u32 offset from the message's {@code from}, then each lane of the point {@link Layout}
 * (the schema's columns in order, a per-layer column one lane per layer) as n float32 values.
 *
 * <p>Precision: each value is the double rounded to the nearest float32 (relative error at most 2^-24, about
 * 6e-8; past float32's range it is ±Infinity or 0); a value that is not there, or not finite, is NaN; iterations
 * are exact. Exports over REST stay exact.
 *
 * <p>A payload of more than {@link #COMPRESS_ABOVE} bytes is compressed (raw DEFLATE, RFC 1951, which browsers
 * inflate with {@code DecompressionStream("deflate-raw")}) after its 4-byte words are split into four byte planes,
 * lowest bytes first: the high bytes of a smooth curve then repeat, and a 4,000-point history of a [2,16,16,1]
 * run shrinks from 226 KB to about 125 KB.
 */
public final class MetricsBinary {

    /** Payloads up to this size are sent as they are: a live update is a few hundred bytes. */
    public static final int COMPRESS_ABOVE = 8 * 1024;

    /** A payload and how it was made. */
    public record Encoded(byte[] bytes, int count, int lanes, boolean compressed) {
    }

    private MetricsBinary() {
    }

    /** {@code points}, iterations counted from {@code from} (every iteration must be in [from, from + 2^32)). */
    public static Encoded encode(Points points, long from) {
        int n = points.size();
        int lanes = points.layout().width();
        ByteBuffer raw = ByteBuffer.allocate(4 * n * (1 + lanes)).order(ByteOrder.LITTLE_ENDIAN);
        for (int p = 0; p < n; p++) {
            long offset = points.iteration(p) - from;
            if (offset < 0 || offset > 0xffffffffL) {
                throw new IllegalArgumentException("iteration " + points.iteration(p) + " is not within 2^32 of " + from);
            }
            raw.putInt((int) offset);
        }
        for (int lane = 0; lane < lanes; lane++) {
            for (int p = 0; p < n; p++) {
                double value = points.value(lane, p);
                raw.putFloat(Double.isFinite(value) ? (float) value : Float.NaN);
            }
        }
        byte[] bytes = raw.array();
        if (bytes.length <= COMPRESS_ABOVE) {
            return new Encoded(bytes, n, lanes, false);
        }
        return new Encoded(deflate(planes(bytes)), n, lanes, true);
    }

    /** The points of a payload made by {@link #encode}, for tests and tools; {@code layout} is the message's. */
    public static Points decode(byte[] payload, boolean compressed, int count, Layout layout, long from) {
        byte[] bytes = compressed ? unplanes(inflate(payload, 4 * count * (1 + layout.width()))) : payload;
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long[] iterations = new long[count];
        for (int p = 0; p < count; p++) {
            iterations[p] = from + Integer.toUnsignedLong(in.getInt());
        }
        double[][] lanes = new double[layout.width()][count];
        for (double[] lane : lanes) {
            for (int p = 0; p < count; p++) {
                lane[p] = in.getFloat();
            }
        }
        Points points = new Points(layout, count);
        double[] point = new double[layout.width()];
        for (int p = 0; p < count; p++) {
            for (int lane = 0; lane < point.length; lane++) {
                point[lane] = lanes[lane][p];
            }
            points.add(iterations[p], point);
        }
        return points;
    }

    /** The words' bytes regrouped: every word's byte 0, then every byte 1, 2 and 3. */
    static byte[] planes(byte[] words) {
        int n = words.length / 4;
        byte[] out = new byte[words.length];
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < 4; b++) {
                out[b * n + i] = words[4 * i + b];
            }
        }
        return out;
    }

    static byte[] unplanes(byte[] planes) {
        int n = planes.length / 4;
        byte[] out = new byte[planes.length];
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < 4; b++) {
                out[4 * i + b] = planes[b * n + i];
            }
        }
        return out;
    }

    private static byte[] deflate(byte[] bytes) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(bytes);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2);
            byte[] chunk = new byte[16 * 1024];
            while (!deflater.finished()) {
                out.write(chunk, 0, deflater.deflate(chunk));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] inflate(byte[] bytes, int length) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(bytes);
            byte[] out = new byte[length];
            int done = 0;
            while (done < length && !inflater.finished()) {
                int n = inflater.inflate(out, done, length - done);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                done += n;
            }
            if (done != length) {
                throw new IllegalArgumentException("the payload inflates to " + done + " bytes, not " + length);
            }
            return out;
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("the payload is not raw DEFLATE: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }
}
