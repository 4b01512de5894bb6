package io.trainscope.store;

import io.trainscope.point.Points;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads the points of a range from a metrics file written by {@link MetricsFile}: skips whole blocks by their
 * headers, decodes the others one at a time, and checks each one's CRC again, so that damage done to the file
 * after it was opened is reported as an error naming the block rather than read as points.
 */
final class BlockReader {

    private final FileChannel channel;
    private final Path path;
    private final BlockDecoder decoder;

    BlockReader(FileChannel channel, Path path, FileLayout layout, ColumnFill fill) {
        this.channel = channel;
        this.path = path;
        this.decoder = new BlockDecoder(layout, fill);
    }

    /** Hands on the points with {@code from <= iteration <= to} in the blocks between byte {@code start} and {@code limit}. */
    void forEach(long start, long limit, long from, long to, PointSink sink) throws IOException {
        BlockHeader header = new BlockHeader();
        Points block = null;
        long at = start;
        while (at < limit) {
            if (!header.read(channel, at)) {
                throw new IOException(path + ": the block header at byte " + at + " is cut short");
            }
            if (header.first > to) {
                return;
            }
            if (header.last >= from) {
                block = block == null ? decoder.newBlock() : block;
                try {
                    decoder.decode(channel, at, header, block);
                } catch (CorruptBlockException e) {
                    throw new IOException(path + ": the block at byte " + at + " is damaged: " + e.getMessage(), e);
                }
                int first = block.indexOf(from);
                int end = to == Long.MAX_VALUE ? block.size() : block.indexOf(to + 1);
                if (end > first) {
                    sink.accept(block, first, end);
                }
                if (end < block.size()) {
                    return;
                }
            }
            at = header.end(at);
        }
    }
}
