package io.trainscope.store;

import io.trainscope.point.Points;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Reads one block's payload, checks its CRC and decodes it into points of the schema's layout, the columns the
 * file lacks filled in: what opening a file and reading a range share. Reused from block to block; not
 * thread-safe.
 */
final class BlockDecoder {

    private final FileLayout layout;
    private final ColumnFill fill;
    private final BlockCodec codec = new BlockCodec();
    private final byte[] payload;

    BlockDecoder(FileLayout layout, ColumnFill fill) {
        this.layout = layout;
        this.fill = fill;
        this.payload = new byte[maxPayload()];
    }

    int maxPayload() {
        return BlockCodec.maxPayload(layout.width, MetricsFile.BLOCK_POINTS);
    }

    /** A block to decode into, in the schema's layout. */
    Points newBlock() {
        return new Points(layout.schema, MetricsFile.BLOCK_POINTS);
    }

    /**
     * Decodes the block whose header (already read and plausible) is at {@code at} into {@code into}.
     *
     * @throws CorruptBlockException when its payload is cut short, its CRC does not match, or it does not decode
     *                               to exactly its header's points
     */
    void decode(FileChannel channel, long at, BlockHeader header, Points into) throws IOException, CorruptBlockException {
        if (!header.readPayload(channel, at, payload) || !header.crcMatches(payload)) {
            throw CorruptBlockException.crcMismatch();
        }
        codec.decode(payload, 0, header.length, header.count, layout.lanes, into);
        if (into.firstIteration() != header.first || into.lastIteration() != header.last) {
            throw new CorruptBlockException("its iterations differ from its header");
        }
        layout.fill(into, fill);
    }
}
