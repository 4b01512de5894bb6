package io.trainscope.store;

import io.trainscope.point.Column;
import io.trainscope.point.Kind;
import io.trainscope.point.Layout;
import io.trainscope.point.Points;
import io.trainscope.point.Schema;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A metrics file's header and what it says of the points in its blocks: which columns, in which lanes, and how
 * they map onto the {@link Schema}'s points. Version 2 (written now) names its columns:
 * {@code "TSMETRIC" | u32 version = 2 | u32 depth | u32 columns | per column: u8 kind, u8 name length, name (ASCII)
 * | u32 CRC32 of all the bytes before}. Version 1, written before the columns were named, is the 20-byte
 * {@code "TSMETRIC" | u32 1 | u32 depth | u32 CRC32} and holds {@link Layout#legacy}'s columns. A column the file
 * lacks is filled by a {@link ColumnFill}; one this build does not know is skipped.
 */
final class FileLayout {

    private static final byte[] MAGIC = "TSMETRIC".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 2;
    private static final int V1_BYTES = 20;
    /** A header names at most this many columns: a file claiming more is not ours. */
    private static final int MAX_COLUMNS = 1024;

    final int version;
    /** Where the first block starts. */
    final int bytes;
    /** Lanes in the file's blocks. */
    final int width;
    /** For each lane of the file, the schema lane it goes to, or -1 to skip. */
    final int[] lanes;
    /** The schema's columns the file lacks. */
    final List<Column> missing;
    /** The schema's layout, which readers get points in. */
    final Layout schema;

    private FileLayout(int version, int bytes, int width, int[] lanes, List<Column> missing, Layout schema) {
        this.version = version;
        this.bytes = bytes;
        this.width = width;
        this.lanes = lanes;
        this.missing = missing;
        this.schema = schema;
    }

    /** The layout a new file is written in: the schema's, every column present. */
    static FileLayout current(int depth) {
        Layout schema = Layout.of(depth);
        int[] lanes = new int[schema.width()];
        Arrays.setAll(lanes, i -> i);
        return new FileLayout(VERSION, header(schema).length, schema.width(), lanes, List.of(), schema);
    }

    /** Whether new points may be appended: only to a file in the schema's own layout. */
    boolean current() {
        return version == VERSION && missing.isEmpty() && width == schema.width();
    }

    /** The header bytes of a new file of {@code layout}. */
    static byte[] header(Layout layout) {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putInt(layout.depth()).putInt(layout.columns().size());
        for (Column c : layout.columns()) {
            byte[] name = c.name().getBytes(StandardCharsets.US_ASCII);
            b.put((byte) c.kind().ordinal()).put((byte) name.length).put(name);
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return Arrays.copyOf(b.array(), b.position());
    }

    /**
     * Reads and checks the header of {@code path}, whose run has {@code depth} weight layers; null when the file
     * ends before its header does (torn as it was created).
     *
     * @throws IOException naming the file when it is not a metrics file of this depth
     */
    static FileLayout read(FileChannel channel, Path path, int depth) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        BlockHeader.readFully(channel, head, 0);
        if (head.hasRemaining()) {
            return null;
        }
        if (!Arrays.equals(Arrays.copyOf(head.array(), 8), MAGIC)) {
            throw new IOException(path + " is not a trainscope metrics file (bad magic)");
        }
        int version = head.getInt(8);
        if (head.getInt(12) != depth) {
            throw new IOException(path + " holds points of " + head.getInt(12) + " layers, its run.json says " + depth);
        }
        Layout schema = Layout.of(depth);
        if (version == 1) {
            ByteBuffer v1 = ByteBuffer.allocate(V1_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            BlockHeader.readFully(channel, v1, 0);
            if (v1.hasRemaining()) {
                return null;
            }
            checkCrc(v1.array(), 16, v1.getInt(16), path);
            return mapped(1, V1_BYTES, Layout.legacy(depth), schema);
        }
        if (version != VERSION) {
            throw new IOException(path + " has format version " + version + ", this build reads 1 and " + VERSION);
        }
        ByteBuffer count = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        BlockHeader.readFully(channel, count, 16);
        if (count.hasRemaining()) {
            return null;
        }
        int columns = count.getInt(0);
        if (columns < 1 || columns > MAX_COLUMNS) {
            throw new IOException(path + " has a header of " + columns + " columns");
        }
        ByteBuffer names = ByteBuffer.allocate(columns * 257 + 4).order(ByteOrder.LITTLE_ENDIAN);
        BlockHeader.readFully(channel, names, 20);
        int at = 0;
        List<Column> known = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        List<Column> inFile = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            if (at + 2 > names.position()) {
                return null;
            }
            int kind = names.get(at) & 0xff;
            int length = names.get(at + 1) & 0xff;
            if (at + 2 + length > names.position()) {
                return null;
            }
            if (kind >= Kind.values().length) {
                throw new IOException(path + " has a damaged header (a column of kind " + kind + ")");
            }
            String name = new String(names.array(), at + 2, length, StandardCharsets.US_ASCII);
            at += 2 + length;
            widths.add(Kind.values()[kind].width(depth));
            inFile.add(Schema.column(name).filter(s -> s.kind().ordinal() == kind).orElse(null));
        }
        int bytes = 20 + at + 4;
        byte[] all = new byte[bytes];
        ByteBuffer whole = ByteBuffer.wrap(all);
        BlockHeader.readFully(channel, whole, 0);
        if (whole.hasRemaining()) {
            return null;
        }
        checkCrc(all, bytes - 4, ByteBuffer.wrap(all, bytes - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(), path);
        int width = widths.stream().mapToInt(Integer::intValue).sum();
        int[] lanes = new int[width];
        int lane = 0;
        for (int c = 0; c < columns; c++) {
            Column column = inFile.get(c);
            int to = column == null ? -1 : schema.offset(column);
            for (int k = 0; k < widths.get(c); k++) {
                lanes[lane++] = to < 0 ? -1 : to + k;
            }
            if (column != null) {
                known.add(column);
            }
        }
        List<Column> missing = Schema.COLUMNS.stream().filter(c -> !known.contains(c)).toList();
        return new FileLayout(version, bytes, width, lanes, missing, schema);
    }

    private static FileLayout mapped(int version, int bytes, Layout file, Layout schema) {
        return new FileLayout(version, bytes, file.width(), file.lanesIn(schema), file.missingFrom(schema), schema);
    }

    private static void checkCrc(byte[] bytes, int length, int stored, Path path) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        if ((int) crc.getValue() != stored) {
            throw new IOException(path + " is not a trainscope metrics file (its header's CRC does not match)");
        }
    }

    /** Sets the columns the file lacks in points {@code [0, size)} of {@code block}. */
    void fill(Points block, ColumnFill fill) {
        for (Column column : missing) {
            int lane = schema.offset(column);
            for (int k = 0, width = column.kind().width(schema.depth()); k < width; k++) {
                double[] values = block.lane(lane + k);
                for (int i = 0; i < block.size(); i++) {
                    values[i] = fill.value(column, k, block.iteration(i));
                }
            }
        }
    }
}
