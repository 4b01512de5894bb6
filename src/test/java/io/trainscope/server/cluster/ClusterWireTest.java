package io.trainscope.server.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.point.Layout;
import io.trainscope.point.Points;
import io.trainscope.run.RunStatus;
import io.trainscope.server.bus.CommandReply;
import io.trainscope.server.bus.NewRun;
import io.trainscope.server.bus.RunCommand;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.store.Checkpoint;
import io.trainscope.store.RateChange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What crosses between nodes comes back as it went, bit for bit, and another version is refused by name. */
class ClusterWireTest {

    @Test
    void pointsComeBackBitForBitAndCompact() {
        Layout layout = Layout.of(3);
        Points points = new Points(layout, 1000);
        double[] lanes = new double[layout.width()];
        for (int i = 0; i < 1000; i++) {
            for (int lane = 0; lane < lanes.length; lane++) {
                lanes[lane] = lane == 1 ? Double.NaN : Math.exp(-i / 300.0) * (lane + 1);
            }
            points.add(500 + i, lanes);
        }
        Buffer wire = ClusterWire.points(new ClusterWire.Block("r1", 500, 1500, 2000, 42, 123.5, 9, points));
        ClusterWire.Block back = ClusterWire.points(wire);
        assertEquals("r1", back.runId());
        assertEquals(500, back.from());
        assertEquals(1500, back.to());
        assertEquals(2000, back.size());
        assertEquals(42, back.sentAt());
        assertEquals(123.5, back.itPerSec());
        assertEquals(1000, back.points().size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(500 + i, back.points().iteration(i));
            for (int lane = 0; lane < lanes.length; lane++) {
                assertEquals(Double.doubleToRawLongBits(points.value(lane, i)),
                        Double.doubleToRawLongBits(back.points().value(lane, i)));
            }
        }
        int raw = 1000 * 8 * (1 + layout.width());
        assertTrue(wire.length() < raw * 0.6, "under raw doubles (" + raw + " bytes): " + wire.length());

        Buffer other = wire.copy();
        other.setByte(0, (byte) (ClusterWire.VERSION + 1));
        assertTrue(assertThrows(ClusterWire.WireException.class, () -> ClusterWire.points(other)).getMessage()
                .contains("version " + (ClusterWire.VERSION + 1)));
        assertThrows(ClusterWire.WireException.class, () -> ClusterWire.points(wire.getBuffer(0, wire.length() - 3)));
    }

    @Test
    void snapshotsCommandsAndRepliesComeBack() throws Exception {
        com.fasterxml.jackson.databind.JsonNode spec = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree("{\"layers\":[2,8,1],\"learningRate\":0.5}");
        RunSnapshot run = new RunSnapshot("r2", RunStatus.PAUSED, null, 10, 100, spec, "d", 2, 1, 0, 5, Double.NaN,
                0, 0.25, "name", false, 0.3, List.of(new RateChange(4, 0.3)), null, new Points(2, 0));
        RunSnapshot back = ClusterWire.snapshot(ClusterWire.snapshot(run), new Points(2, 0));
        assertEquals(run.id(), back.id());
        assertEquals(run.status(), back.status());
        assertEquals(run.spec(), back.spec());
        assertTrue(Double.isNaN(back.itPerSec()), "NaN crosses as null and comes back as NaN");
        assertEquals(run.changes(), back.changes());
        assertEquals("name", back.name());

        RunCommand set = ClusterWire.command(ClusterWire.command(RunCommand.set("r2", 0.125)));
        assertEquals(RunCommand.Kind.SET, set.kind());
        assertEquals(0.125, set.learningRate());
        CommandReply refused = ClusterWire.reply(ClusterWire.reply(new CommandReply(null, 409, "no", "runId")));
        assertEquals(409, refused.code());
        assertEquals("runId", refused.field());
        JsonObject old = ClusterWire.reply(refused).put("v", 1);
        assertThrows(ClusterWire.WireException.class, () -> ClusterWire.reply(old));
    }

    @Test
    void aSweepStartAndWhatItMadeComeBackWhole() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<NewRun> asked = List.of(
                new NewRun((ObjectNode) json.readTree("{\"layers\":[2,8,1],\"learningRate\":0.1}"), "specs[0]",
                        json.readTree("{\"learningRate\":0.1}")),
                new NewRun((ObjectNode) json.readTree("{\"layers\":[2,8,1],\"learningRate\":0.3}"), "specs[1]",
                        json.readTree("{\"learningRate\":0.3}")));
        RunCommand start = ClusterWire.command(ClusterWire.command(RunCommand.start(asked)));
        assertEquals(RunCommand.Kind.START, start.kind());
        assertEquals(asked, start.runs(), "every run of the sweep, its spec, path and label, in order");
        RunCommand one = ClusterWire.command(ClusterWire.command(RunCommand.start(asked.get(0).spec())));
        assertEquals(List.of(NewRun.single(asked.get(0).spec())), one.runs());

        RunSnapshot running = snapshot("r3", RunStatus.RUNNING, asked.get(0), new RunSnapshot.Results(0.125, 0.75,
                Double.NaN, 0.5), new Checkpoint(40, 0.1, 77));
        RunSnapshot queued = snapshot("r4", RunStatus.QUEUED, asked.get(1), RunSnapshot.Results.NONE, null);
        CommandReply started = ClusterWire.reply(ClusterWire.reply(CommandReply.started(List.of(running, queued))));
        assertEquals(201, started.code());
        assertEquals(2, started.runs().size());
        assertEquals("r3", started.run().id());
        RunSnapshot first = started.runs().get(0);
        assertEquals(11, first.createdAt());
        assertEquals(0.125, first.results().bestCost());
        assertEquals(0.75, first.results().accuracy());
        assertTrue(Double.isNaN(first.results().validationCost()));
        assertEquals(0.5, first.results().validationAccuracy());
        assertEquals(new Checkpoint(40, 0.1, 77), first.checkpoint());
        assertEquals(asked.get(0).sweep(), first.sweep());
        RunSnapshot second = started.runs().get(1);
        assertEquals(RunStatus.QUEUED, second.status());
        assertEquals(null, second.checkpoint());
        assertTrue(Double.isNaN(second.results().bestCost()));
        assertEquals(asked.get(1).sweep(), second.sweep());

        RunSnapshot lost = ClusterWire.withStatus(queued, RunStatus.INTERRUPTED, "gone");
        assertEquals(asked.get(1).sweep(), lost.sweep(), "a status change keeps the rest of the state");
        assertEquals(11, lost.createdAt());
    }

    private static RunSnapshot snapshot(String id, RunStatus status, NewRun asked, RunSnapshot.Results results,
                                        Checkpoint checkpoint) {
        return new RunSnapshot(id, status, null, 0, 100, asked.spec(), "d", 2, 12, 0, 0, Double.NaN, 0, Double.NaN,
                null, false, 0.1, List.of(), null, new Points(2, 0), 11, results, checkpoint, asked.sweep());
    }
}
