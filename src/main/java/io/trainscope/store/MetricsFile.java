package io.trainscope.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * One run's {@code metrics.bin}: a 20-byte file header, then blocks, each framed as
 * {@code [u32 payloadLength][u32 count][i64 firstIteration][i64 lastIteration][u32 crc32]} + payload
 * ({@link BlockCodec}), little-endian, the CRC covering the first 24 header bytes and the payload.
 * See docs/storage.md. Blocks are only ever appended; opening the file validates every block and cuts the
 * file at the first one that is incomplete or does not check out ({@link #open}).
 *
 * <p>One thread writes ({@link #append}); any number read ({@link #forEach}) concurrently, below the end of
 * the last whole block written, which only grows.
 */
final class MetricsFile implements Closeable {

    static final String NAME = "metrics.bin";
    static final int FILE_HEADER = 20;
    static final int BLOCK_HEADER = 28;
    private static final byte[] MAGIC = "TSMETRIC".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    /** Called for every valid block found while opening, in order. */
    interface BlockVisitor {
        void block(PointBuffer points);
    }

    final int depth;
    private final Path path;
    private final FileChannel channel;
    private final SparseIndex index = new SparseIndex();
    private BlockCodec writeCodec;
    private final CRC32 writeCrc = new CRC32();
    private byte[] writeScratch;
    private volatile long end;
    private volatile long lastIteration = -1;
    private volatile long points;
    private volatile double lastCost = Double.NaN;

    private MetricsFile(Path path, FileChannel channel, int depth) {
        this.path = path;
        this.channel = channel;
        this.depth = depth;
    }

    /**
     * Opens or creates the file, validates every block (length, CRC, decoding, increasing iterations),
     * hands each valid one to {@code visitor}, and cuts the file after the last valid block. Bytes after a bad
     * block that is not the last are first copied to {@code metrics.damaged-<offset>} beside the file.
     */
    static MetricsFile open(Path path, int depth, BlockVisitor visitor, Recovery[] report, boolean privateFiles)
            throws IOException {
        FileChannel channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), AtomicFiles.fileAttributes(path, privateFiles));
        try {
            MetricsFile file = new MetricsFile(path, channel, depth);
            report[0] = file.recover(visitor, privateFiles);
            return file;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Opens the file trusting a {@link SummarySnapshot} taken when it was last closed: every block's framing
     * and CRC are checked as in {@link #open}, but nothing is decoded, which is most of the cost. Returns null, having closed the file, when
     * anything differs from {@code expected}; the caller then opens it with {@link #open}.
     */
    static MetricsFile openTrusted(Path path, int depth, SummarySnapshot.Expected expected) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        MetricsFile file = new MetricsFile(path, channel, depth);
        boolean matches = false;
        try {
            matches = file.scanHeaders(expected);
        } catch (IOException | RuntimeException e) {
            matches = false;
        }
        if (!matches) {
            channel.close();
            return null;
        }
        return file;
    }

    private boolean scanHeaders(SummarySnapshot.Expected expected) throws IOException {
        long size = channel.size();
        if (size != expected.fileEnd() || size < FILE_HEADER) {
            return false;
        }
        checkFileHeader();
        ByteBuffer header = ByteBuffer.allocate(BLOCK_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        byte[] payload = new byte[BlockCodec.maxPayload(depth, PointBuffer.BLOCK_POINTS)];
        CRC32 crc = new CRC32();
        long at = FILE_HEADER;
        while (at < size) {
            header.clear();
            BlockReader.readFully(channel, header, at);
            int length = header.getInt(0);
            int count = header.getInt(4);
            long first = header.getLong(8);
            long last = header.getLong(16);
            if (header.hasRemaining() || length < 1 || length > payload.length || count < 1
                    || count > PointBuffer.BLOCK_POINTS || first > last || first <= lastIteration
                    || at + BLOCK_HEADER + length > size) {
                return false;
            }
            BlockReader.readFully(channel, ByteBuffer.wrap(payload, 0, length), at + BLOCK_HEADER);
            crc.reset();
            crc.update(header.array(), 0, 24);
            crc.update(payload, 0, length);
            if ((int) crc.getValue() != header.getInt(24)) {
                return false;
            }
            blockAccepted(at, first, last, count);
            at += BLOCK_HEADER + length;
        }
        end = at;
        lastCost = expected.lastCost();
        return points == expected.points() && lastIteration == expected.lastIteration();
    }

    private Recovery recover(BlockVisitor visitor, boolean privateFiles) throws IOException {
        long size = channel.size();
        if (size < FILE_HEADER) {
            writeFileHeader();
            end = FILE_HEADER;
            return new Recovery(0, -1, size, size == 0 ? null : "a torn file header (" + size + " bytes) was rewritten", null);
        }
        checkFileHeader();
        BlockCodec codec = new BlockCodec();
        PointBuffer points = new PointBuffer(depth);
        CRC32 crc = new CRC32();
        byte[] payload = new byte[BlockCodec.maxPayload(depth, PointBuffer.BLOCK_POINTS)];
        ByteBuffer header = ByteBuffer.allocate(BLOCK_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        long at = FILE_HEADER;
        String problem = null;
        boolean torn = false;
        while (at < size) {
            header.clear();
            BlockReader.readFully(channel, header, at);
            if (header.hasRemaining()) {
                problem = "a torn block header at byte " + at;
                torn = true;
                break;
            }
            int length = header.getInt(0);
            int count = header.getInt(4);
            long first = header.getLong(8);
            long last = header.getLong(16);
            int storedCrc = header.getInt(24);
            if (length < 1 || length > payload.length || count < 1 || count > PointBuffer.BLOCK_POINTS
                    || first > last || first <= lastIteration) {
                problem = "an invalid block header at byte " + at;
                break;
            }
            long blockEnd = at + BLOCK_HEADER + length;
            if (blockEnd > size) {
                problem = "a torn block at byte " + at;
                torn = true;
                break;
            }
            BlockReader.readFully(channel, ByteBuffer.wrap(payload, 0, length), at + BLOCK_HEADER);
            crc.reset();
            crc.update(header.array(), 0, 24);
            crc.update(payload, 0, length);
            if ((int) crc.getValue() != storedCrc) {
                problem = "a block whose CRC does not match at byte " + at;
                torn = blockEnd == size;
                break;
            }
            try {
                codec.decode(payload, 0, length, count, points);
                if (points.firstIteration() != first || points.lastIteration() != last) {
                    throw new CorruptBlockException("its iterations differ from its header");
                }
            } catch (CorruptBlockException e) {
                problem = "a block that does not decode at byte " + at + ": " + e.getMessage();
                break;
            }
            visitor.block(points);
            blockAccepted(at, first, last, count);
            lastCost = points.cost(count - 1);
            at = blockEnd;
        }
        end = at;
        if (problem == null) {
            return new Recovery(this.points, lastIteration, 0, null, null);
        }
        // A torn last block is what a kill leaves: simply cut. Anything else is damage with possibly good
        // data behind it: keep a copy for a human before cutting.
        Path damaged = null;
        if (!torn) {
            damaged = path.resolveSibling("metrics.damaged-" + at);
            try (FileChannel out = FileChannel.open(damaged, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING), AtomicFiles.fileAttributes(damaged, privateFiles))) {
                for (long copied = 0; copied < size - at; ) {
                    copied += channel.transferTo(at + copied, size - at - copied, out);
                }
                out.force(true);
            }
        }
        channel.truncate(at);
        channel.force(true);
        return new Recovery(this.points, lastIteration, size - at, problem, damaged);
    }

    private void blockAccepted(long offset, long first, long last, int count) {
        index.blockWritten(offset, first, count);
        points += count;
        lastIteration = last;
    }

    private void writeFileHeader() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(FILE_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putInt(depth);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, 16);
        b.putInt((int) crc.getValue()).flip();
        channel.truncate(0);
        channel.write(b, 0);
    }

    private void checkFileHeader() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(FILE_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        BlockReader.readFully(channel, b, 0);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, 16);
        if (!Arrays.equals(Arrays.copyOf(b.array(), 8), MAGIC) || b.getInt(16) != (int) crc.getValue()) {
            throw new IOException(path + " is not a trainscope metrics file (bad magic or header CRC)");
        }
        if (b.getInt(8) != VERSION) {
            throw new IOException(path + " has format version " + b.getInt(8) + ", this build reads " + VERSION);
        }
        if (b.getInt(12) != depth) {
            throw new IOException(path + " holds points of " + b.getInt(12) + " layers, its run.json says " + depth);
        }
    }

    /** Encodes {@code block} and writes it to the OS (no fsync). Writer thread only. */
    void append(PointBuffer block) throws IOException {
        if (block.size == 0) {
            return;
        }
        if (block.firstIteration() <= lastIteration) {
            throw new IllegalArgumentException("iteration " + block.firstIteration() + " does not follow "
                    + lastIteration);
        }
        if (writeScratch == null) {
            writeScratch = new byte[BLOCK_HEADER + BlockCodec.maxPayload(depth, PointBuffer.BLOCK_POINTS)];
            writeCodec = new BlockCodec();
        }
        int length = writeCodec.encode(block, writeScratch, BLOCK_HEADER);
        ByteBuffer header = ByteBuffer.wrap(writeScratch, 0, BLOCK_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0, length).putInt(4, block.size).putLong(8, block.firstIteration())
                .putLong(16, block.lastIteration());
        writeCrc.reset();
        writeCrc.update(writeScratch, 0, 24);
        writeCrc.update(writeScratch, BLOCK_HEADER, length);
        header.putInt(24, (int) writeCrc.getValue());
        long offset = end;
        ByteBuffer all = ByteBuffer.wrap(writeScratch, 0, BLOCK_HEADER + length);
        while (all.hasRemaining()) {
            channel.write(all, offset + all.position());
        }
        end = offset + BLOCK_HEADER + length;
        blockAccepted(offset, block.firstIteration(), block.lastIteration(), block.size);
        lastCost = block.cost(block.size - 1);
    }

    void force() throws IOException {
        channel.force(false);
    }

    /** The last iteration written to the OS, -1 when none. */
    long lastIteration() {
        return lastIteration;
    }

    long points() {
        return points;
    }

    double lastCost() {
        return lastCost;
    }

    long bytes() {
        return end;
    }

    long heapBytes() {
        return index.heapBytes() + (writeScratch == null ? 0 : writeScratch.length);
    }

    /**
     * Visits every written point with {@code from <= iteration <= to}, in order, one block in memory at a time.
     * Safe while the writer appends: only blocks whole at the call's start are read.
     */
    void forEach(long from, long to, PointVisitor visitor) throws IOException {
        new BlockReader(channel, path, depth).forEach(index.seek(from, FILE_HEADER), end, from, to, visitor);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
