package io.trainscope.store;

import io.trainscope.point.Layout;
import io.trainscope.point.Points;
import io.trainscope.point.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A metrics file of format version 1, written before points had a {@code learningRate} column, still reads: every
 * value as it was written, and the learning rate of each iteration filled in from the spec's and the run's live
 * changes (run.json), which is what its updates used.
 */
class LegacyFileTest {

    static final int DEPTH = 2;

    @TempDir
    Path data;

    @Test
    void aVersionOneFileReadsWithItsLearningRateFilledIn() throws Exception {
        Path run = Files.createDirectories(data.resolve("runs").resolve("old"));
        Files.writeString(run.resolve("spec.json"), "{\"layers\": [2, 4, 1], \"learningRate\": 0.3, \"iterations\": 9000}");
        Files.writeString(run.resolve("run.json"), "{\"id\": \"old\", \"status\": \"finished\", \"createdAt\": 1, "
                + "\"startedAt\": 1, \"endedAt\": 2, \"iterations\": 9000, \"finalCost\": 0.1, \"depth\": 2, "
                + "\"changes\": [{\"iteration\": 2500, \"learningRate\": 0.05}, {\"iteration\": 7000, \"learningRate\": 0.2}]}");
        Layout legacy = Layout.legacy(DEPTH);
        Points written = new Points(legacy, 9000);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 9000; i++) {
            written.add(i, r.doubles(legacy.width()).toArray());
        }
        writeVersionOne(run.resolve(MetricsFile.NAME), written);

        try (RunStore store = RunStore.open(data)) {
            RunLog log = store.log("old");
            Points read = log.read(0, Long.MAX_VALUE);
            assertEquals(9000, read.size());
            int[] lanes = legacy.lanesIn(Layout.of(DEPTH));
            for (int i = 0; i < 9000; i++) {
                for (int lane = 0; lane < legacy.width(); lane++) {
                    assertEquals(written.value(lane, i), read.value(lanes[lane], i), "lane " + lane + " at " + i);
                }
                double expected = i < 2500 ? 0.3 : i < 7000 ? 0.05 : 0.2;
                assertEquals(expected, read.value(Schema.LEARNING_RATE, 0, i), "the rate iteration " + i + " used");
            }
            Points kept = log.downsampled(0, Long.MAX_VALUE, 64).points();
            for (int p = 0; p < kept.size(); p++) {
                long i = kept.iteration(p);
                assertEquals(i < 2500 ? 0.3 : i < 7000 ? 0.05 : 0.2, kept.value(Schema.LEARNING_RATE, 0, p));
            }
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> TestPoints.append(log, List.of(new Point(9000, 1, 1, new double[2], new double[2], 0, 0))));
            assertTrue(refused.getMessage().contains("older version"), refused.getMessage());
        }
    }

    @Test
    void aColumnThisBuildDoesNotKnowIsSkipped() throws Exception {
        io.trainscope.point.Column future = new io.trainscope.point.Column("somethingNew", "somethingNew",
                io.trainscope.point.Kind.HIDDEN_LAYER, false, (m, i) -> 0);
        java.util.List<io.trainscope.point.Column> columns = new java.util.ArrayList<>(Schema.COLUMNS);
        columns.add(2, future);
        Layout later = Layout.of(3, columns);
        Path run = Files.createDirectories(data.resolve("later"));
        Points written = new Points(later, 100);
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < 100; i++) {
            written.add(i, r.doubles(later.width()).toArray());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(FileLayout.header(later));
        byte[] bytes = new byte[BlockHeader.BYTES + BlockCodec.maxPayload(later.width(), 100)];
        int length = new BlockCodec().encode(written, bytes, BlockHeader.BYTES);
        new BlockHeader().write(bytes, length, 100, 0, 99);
        out.write(bytes, 0, BlockHeader.BYTES + length);
        Files.write(run.resolve(MetricsFile.NAME), out.toByteArray());
        try (RunLog log = RunLog.open("later", run, 3, StoreOptions.defaults())) {
            assertTrue(log.recovery().clean(), String.valueOf(log.recovery().problem()));
            Points read = log.read(0, 99);
            assertEquals(100, read.size());
            for (io.trainscope.point.Column column : Schema.COLUMNS) {
                for (int k = 0; k < column.kind().width(3); k++) {
                    assertEquals(written.value(later.offset(column) + k, 42), read.value(column, k, 42), column.name());
                }
            }
        }
    }

    /** The file as version 1 wrote it: a 20-byte header, then blocks of the legacy layout's lanes. */
    static void writeVersionOne(Path file, Points points) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        header.put("TSMETRIC".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(points.depth());
        CRC32 crc = new CRC32();
        crc.update(header.array(), 0, 16);
        header.putInt((int) crc.getValue());
        out.write(header.array());
        BlockCodec codec = new BlockCodec();
        BlockHeader blockHeader = new BlockHeader();
        for (int from = 0; from < points.size(); from += MetricsFile.BLOCK_POINTS) {
            Points block = new Points(points.layout(), MetricsFile.BLOCK_POINTS);
            block.addAll(points, from, Math.min(points.size(), from + MetricsFile.BLOCK_POINTS));
            byte[] bytes = new byte[BlockHeader.BYTES + BlockCodec.maxPayload(points.layout().width(), block.size())];
            int length = codec.encode(block, bytes, BlockHeader.BYTES);
            blockHeader.write(bytes, length, block.size(), block.firstIteration(), block.lastIteration());
            out.write(bytes, 0, BlockHeader.BYTES + length);
        }
        Files.write(file, out.toByteArray());
    }
}
