package io.trainscope.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * {@code summary.bin}: a run's in-memory summary buckets as they were when its log was last closed, so that
 * reopening a long finished run need not decode its whole metrics file (10^7 iterations: about a second) to
 * rebuild them. It names the metrics file's exact length and last iteration; when the file no longer
 * matches (more points, a crash, a repair) or the snapshot's CRC fails, it is ignored and the file is scanned
 * in full. Big-endian ({@link DataOutputStream}); written to a temporary file and renamed.
 */
final class PyramidSnapshot {

    static final String NAME = "summary.bin";
    private static final long MAGIC = 0x5453_5355_4d4d_5259L;
    /** 2: buckets hold the schema's lanes, learningRate included; a version-1 snapshot is ignored and rebuilt. */
    private static final int VERSION = 2;

    /** What the metrics file must look like for the snapshot to apply. */
    record Expected(long fileEnd, long points, long lastIteration, double lastCost) {
    }

    private PyramidSnapshot() {
    }

    /** A cache, so not forced to the device: a snapshot lost in a power cut is rebuilt from the file. */
    static void write(Path dir, Pyramid pyramid, MetricsFile file, boolean privateFiles) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeLong(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(file.depth);
        out.writeInt(file.layout.schema.width());
        out.writeLong(file.bytes());
        out.writeLong(file.points());
        out.writeLong(file.lastIteration());
        out.writeLong(Double.doubleToRawLongBits(file.lastCost()));
        pyramid.writeTo(out);
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        AtomicFiles.write(dir.resolve(NAME), bytes::writeTo, false, privateFiles);
    }

    /** Loads the snapshot into {@code into} and says what the metrics file must match; null when there is none usable. */
    static Expected read(Path dir, int depth, Pyramid into) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(NAME));
        } catch (IOException e) {
            return null;
        }
        if (bytes.length < 4) {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ((bytes[bytes.length - 4] & 0xff) << 24) | ((bytes[bytes.length - 3] & 0xff) << 16)
                | ((bytes[bytes.length - 2] & 0xff) << 8) | (bytes[bytes.length - 1] & 0xff);
        if (stored != (int) crc.getValue()) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length - 4)))) {
            if (in.readLong() != MAGIC || in.readInt() != VERSION || in.readInt() != depth
                    || in.readInt() != io.trainscope.point.Layout.of(depth).width()) {
                return null;
            }
            Expected expected = new Expected(in.readLong(), in.readLong(), in.readLong(),
                    Double.longBitsToDouble(in.readLong()));
            into.readFrom(in);
            return expected;
        } catch (IOException e) {
            return null;
        }
    }
}
