package io.trainscope.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32;

/**
 * A block's framing in a metrics file, read and checked in one place:
 * {@code [u32 payloadLength][u32 count][i64 firstIteration][i64 lastIteration][u32 crc32]} + payload,
 * little-endian, the CRC covering the first 24 header bytes and the payload. Reused from block to block; not
 * thread-safe.
 */
final class BlockHeader {

    static final int BYTES = 28;
    /** The header bytes the CRC covers, before the CRC itself. */
    private static final int CRC_COVERS = 24;

    private final ByteBuffer bytes = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32 crc = new CRC32();
    int length;
    int count;
    long first;
    long last;
    int storedCrc;

    /** Reads the header at {@code at}; false when the file ends before it does (a torn header). */
    boolean read(FileChannel channel, long at) throws IOException {
        bytes.clear();
        readFully(channel, bytes, at);
        if (bytes.hasRemaining()) {
            return false;
        }
        length = bytes.getInt(0);
        count = bytes.getInt(4);
        first = bytes.getLong(8);
        last = bytes.getLong(16);
        storedCrc = bytes.getInt(24);
        return true;
    }

    /** Whether the fields could describe a block of at most {@code maxPayload} bytes after iteration {@code after}. */
    boolean plausible(int maxPayload, long after) {
        return length >= 1 && length <= maxPayload && count >= 1 && count <= MetricsFile.BLOCK_POINTS
                && first <= last && first > after;
    }

    /** The offset just past this block, which starts at {@code at}. */
    long end(long at) {
        return at + BYTES + length;
    }

    /** Reads the payload after the header at {@code at} into {@code into}; false when the file ends first. */
    boolean readPayload(FileChannel channel, long at, byte[] into) throws IOException {
        ByteBuffer payload = ByteBuffer.wrap(into, 0, length);
        readFully(channel, payload, at + BYTES);
        return !payload.hasRemaining();
    }

    /** Whether the stored CRC matches this header and {@code payload}. */
    boolean crcMatches(byte[] payload) {
        crc.reset();
        crc.update(bytes.array(), 0, CRC_COVERS);
        crc.update(payload, 0, length);
        return (int) crc.getValue() == storedCrc;
    }

    /** Writes a block's header into {@code block[0, BYTES)}, its payload being {@code block[BYTES, BYTES + length)}. */
    void write(byte[] block, int length, int count, long first, long last) {
        ByteBuffer header = ByteBuffer.wrap(block, 0, BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0, length).putInt(4, count).putLong(8, first).putLong(16, last);
        crc.reset();
        crc.update(block, 0, CRC_COVERS);
        crc.update(block, BYTES, length);
        header.putInt(24, (int) crc.getValue());
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
