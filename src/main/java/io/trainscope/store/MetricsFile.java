package io.trainscope.store;

import io.trainscope.point.Points;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * One run's {@code metrics.bin}: a file header ({@link FileLayout}), then blocks, each framed by a
 * {@link BlockHeader} + payload ({@link BlockCodec}). See docs/storage.md. Blocks are only ever appended;
 * opening the file validates every block and cuts the file at the first one that is incomplete or does not
 * check out ({@link #open}). Points come out in the schema's layout whatever the file's: a file written before a
 * column existed has it filled in by a {@link ColumnFill}.
 *
 * <p>One thread writes ({@link #append}); any number read ({@link #forEach}) concurrently, below the end of
 * the last whole block written, which only grows.
 */
final class MetricsFile implements Closeable {

    static final String NAME = "metrics.bin";
    /** Points per block: large enough that headers cost nothing, small enough to decode for a short range. */
    static final int BLOCK_POINTS = 4096;

    /** Called for every valid block found while opening, in order; {@code points} is reused for the next. */
    interface BlockVisitor {
        void block(Points points);
    }

    final int depth;
    final FileLayout layout;
    private final Path path;
    private final FileChannel channel;
    private final ColumnFill fill;
    private final SparseIndex index = new SparseIndex();
    private BlockCodec writeCodec;
    private final BlockHeader writeHeader = new BlockHeader();
    private byte[] writeScratch;
    private volatile long end;
    private volatile long lastIteration = -1;
    private volatile long points;
    private volatile double lastCost = Double.NaN;

    private MetricsFile(Path path, FileChannel channel, int depth, FileLayout layout, ColumnFill fill) {
        this.path = path;
        this.channel = channel;
        this.depth = depth;
        this.layout = layout;
        this.fill = fill;
    }

    /**
     * Opens or creates the file, validates every block (length, CRC, decoding, increasing iterations),
     * hands each valid one to {@code visitor}, and cuts the file after the last valid block. Bytes after a bad
     * block that is not the last are first copied to {@code metrics.damaged-<offset>} beside the file.
     */
    static MetricsFile open(Path path, int depth, BlockVisitor visitor, Recovery[] report, boolean privateFiles,
                            ColumnFill fill) throws IOException {
        FileChannel channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), AtomicFiles.fileAttributes(path, privateFiles));
        try {
            long size = channel.size();
            FileLayout layout = size == 0 ? null : FileLayout.read(channel, path, depth);
            // A header cut short (or no file at all) is what a crash at the file's creation leaves: written again, empty.
            long torn = layout == null ? size : 0;
            if (layout == null) {
                layout = writeFileHeader(channel, depth);
            }
            MetricsFile file = new MetricsFile(path, channel, depth, layout, fill);
            report[0] = file.recover(visitor, privateFiles, torn);
            return file;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Opens the file trusting a {@link PyramidSnapshot} taken when it was last closed: every block's framing
     * and CRC are checked as in {@link #open}, but nothing is decoded, which is most of the cost. Returns null,
     * having closed the file, when anything differs from {@code expected}; the caller then opens it with
     * {@link #open}.
     */
    static MetricsFile openTrusted(Path path, int depth, PyramidSnapshot.Expected expected, ColumnFill fill)
            throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        boolean matches = false;
        MetricsFile file = null;
        try {
            FileLayout layout = FileLayout.read(channel, path, depth);
            file = layout == null ? null : new MetricsFile(path, channel, depth, layout, fill);
            matches = file != null && file.scanHeaders(expected);
        } catch (IOException | RuntimeException e) {
            matches = false;
        }
        if (!matches) {
            channel.close();
            return null;
        }
        return file;
    }

    private boolean scanHeaders(PyramidSnapshot.Expected expected) throws IOException {
        long size = channel.size();
        if (size != expected.fileEnd() || size < layout.bytes) {
            return false;
        }
        BlockHeader header = new BlockHeader();
        byte[] payload = new byte[maxPayload()];
        long at = layout.bytes;
        while (at < size) {
            if (!header.read(channel, at) || !header.plausible(payload.length, lastIteration) || header.end(at) > size
                    || !header.readPayload(channel, at, payload) || !header.crcMatches(payload)) {
                return false;
            }
            blockAccepted(at, header.first, header.last, header.count);
            at = header.end(at);
        }
        end = at;
        lastCost = expected.lastCost();
        return points == expected.points() && lastIteration == expected.lastIteration();
    }

    private Recovery recover(BlockVisitor visitor, boolean privateFiles, long tornHeader) throws IOException {
        long size = channel.size();
        if (size <= layout.bytes) {
            end = layout.bytes;
            return new Recovery(0, -1, tornHeader, tornHeader == 0 ? null
                    : "a torn file header (" + tornHeader + " bytes) was rewritten", null);
        }
        BlockDecoder decoder = new BlockDecoder(layout, fill);
        Points block = decoder.newBlock();
        BlockHeader header = new BlockHeader();
        long at = layout.bytes;
        String problem = null;
        boolean torn = false;
        while (at < size) {
            if (!header.read(channel, at)) {
                problem = "a torn block header at byte " + at;
                torn = true;
                break;
            }
            if (!header.plausible(decoder.maxPayload(), lastIteration)) {
                problem = "an invalid block header at byte " + at;
                break;
            }
            if (header.end(at) > size) {
                problem = "a torn block at byte " + at;
                torn = true;
                break;
            }
            try {
                decoder.decode(channel, at, header, block);
            } catch (CorruptBlockException e) {
                problem = (e.crc() ? "a block whose CRC does not match" : "a block that does not decode") + " at byte "
                        + at + (e.crc() ? "" : ": " + e.getMessage());
                torn = e.crc() && header.end(at) == size;
                break;
            }
            visitor.block(block);
            blockAccepted(at, header.first, header.last, header.count);
            lastCost = block.cost(block.size() - 1);
            at = header.end(at);
        }
        end = at;
        if (problem == null) {
            return new Recovery(points, lastIteration, 0, null, null);
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
        return new Recovery(points, lastIteration, size - at, problem, damaged);
    }

    private void blockAccepted(long offset, long first, long last, int count) {
        index.blockWritten(offset, first, count);
        points += count;
        lastIteration = last;
    }

    private static FileLayout writeFileHeader(FileChannel channel, int depth) throws IOException {
        FileLayout layout = FileLayout.current(depth);
        channel.truncate(0);
        ByteBuffer header = ByteBuffer.wrap(FileLayout.header(layout.schema));
        while (header.hasRemaining()) {
            channel.write(header, header.position());
        }
        return layout;
    }

    private int maxPayload() {
        return BlockCodec.maxPayload(layout.width, BLOCK_POINTS);
    }

    /** Encodes {@code block} and writes it to the OS (no fsync). Writer thread only. */
    void append(Points block) throws IOException {
        if (block.isEmpty()) {
            return;
        }
        if (!layout.current()) {
            throw new IllegalStateException(path + " was written by an older version (format " + layout.version
                    + "); it takes no more points");
        }
        if (block.firstIteration() <= lastIteration) {
            throw new IllegalArgumentException("iteration " + block.firstIteration() + " does not follow "
                    + lastIteration);
        }
        if (writeScratch == null) {
            writeScratch = new byte[BlockHeader.BYTES + maxPayload()];
            writeCodec = new BlockCodec();
        }
        int length = writeCodec.encode(block, writeScratch, BlockHeader.BYTES);
        writeHeader.write(writeScratch, length, block.size(), block.firstIteration(), block.lastIteration());
        long offset = end;
        ByteBuffer all = ByteBuffer.wrap(writeScratch, 0, BlockHeader.BYTES + length);
        while (all.hasRemaining()) {
            channel.write(all, offset + all.position());
        }
        end = offset + BlockHeader.BYTES + length;
        blockAccepted(offset, block.firstIteration(), block.lastIteration(), block.size());
        lastCost = block.cost(block.size() - 1);
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
    void forEach(long from, long to, PointSink sink) throws IOException {
        new BlockReader(channel, path, layout, fill).forEach(index.seek(from, layout.bytes), end, from, to, sink);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
