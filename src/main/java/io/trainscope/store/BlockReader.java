package io.trainscope.store;

import io.trainscope.nn.StepMetrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Reads the points of a range from a metrics file written by {@link MetricsFile}: skips whole blocks by their
 * headers, decodes the others one at a time, and checks each one's CRC again, so that damage done to the file
 * after it was opened is reported as an error naming the block rather than read as points.
 */
final class BlockReader {

    private final FileChannel channel;
    private final Path path;
    private final int depth;

    BlockReader(FileChannel channel, Path path, int depth) {
        this.channel = channel;
        this.path = path;
        this.depth = depth;
    }

    /** Visits the points with {@code from <= iteration <= to} in the blocks between byte {@code start} and {@code limit}. */
    void forEach(long start, long limit, long from, long to, PointVisitor visitor) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(MetricsFile.BLOCK_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        byte[] payload = new byte[0];
        BlockCodec codec = new BlockCodec();
        PointBuffer points = new PointBuffer(depth);
        StepMetrics m = new StepMetrics(depth);
        CRC32 crc = new CRC32();
        long at = start;
        while (at < limit) {
            header.clear();
            readFully(channel, header, at);
            int length = header.getInt(0);
            int count = header.getInt(4);
            long first = header.getLong(8);
            long last = header.getLong(16);
            if (first > to) {
                return;
            }
            if (last >= from) {
                if (payload.length < length) {
                    payload = new byte[length];
                }
                readFully(channel, ByteBuffer.wrap(payload, 0, length), at + MetricsFile.BLOCK_HEADER);
                crc.reset();
                crc.update(header.array(), 0, 24);
                crc.update(payload, 0, length);
                try {
                    if ((int) crc.getValue() != header.getInt(24)) {
                        throw new CorruptBlockException("its CRC no longer matches");
                    }
                    codec.decode(payload, 0, length, count, points);
                } catch (CorruptBlockException e) {
                    throw new IOException(path + ": the block at byte " + at + " is damaged: " + e.getMessage(), e);
                }
                for (int i = 0; i < points.size; i++) {
                    long iteration = points.iterations[i];
                    if (iteration > to) {
                        return;
                    }
                    if (iteration >= from) {
                        points.copyTo(i, m);
                        visitor.accept(m);
                    }
                }
            }
            at += MetricsFile.BLOCK_HEADER + length;
        }
    }

    /** Reads until {@code into} is full or the file ends (then {@code into} still has room). */
    static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        while (into.hasRemaining()) {
            if (channel.read(into, position + into.position()) < 0) {
                return;
            }
        }
    }
}
