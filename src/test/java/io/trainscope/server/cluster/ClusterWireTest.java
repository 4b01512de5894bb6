package io.trainscope.server.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.nn.Dataset;
import io.trainscope.nn.GradientCheck;
import io.trainscope.nn.Histogram;
import io.trainscope.nn.LayerHistograms;
import io.trainscope.nn.Plane;
import io.trainscope.nn.Wiring;
import io.trainscope.point.Layout;
import io.trainscope.point.Points;
import io.trainscope.run.RunStatus;
import io.trainscope.server.bus.BoundarySnapshot;
import io.trainscope.server.bus.CommandReply;
import io.trainscope.server.bus.DataSnapshot;
import io.trainscope.server.bus.GradientCheckReport;
import io.trainscope.server.bus.HistogramsSnapshot;
import io.trainscope.server.bus.KeptViews;
import io.trainscope.server.bus.NetworkSnapshot;
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

    @Test
    void versionTwoMessagesAreReadAndItsMissingTypesRefusedByName() {
        JsonObject beat = ClusterWire.message("node").put("v", ClusterWire.PREVIOUS);
        assertEquals("node", ClusterWire.type(beat), "a heartbeat of version 2 has the same form");
        JsonObject demand = ClusterWire.message("demand").put("v", ClusterWire.PREVIOUS);
        ClusterWire.WireException refused = assertThrows(ClusterWire.WireException.class, () -> ClusterWire.type(demand));
        assertTrue(refused.getMessage().contains("\"demand\" of version 2"), refused.getMessage());
        assertThrows(ClusterWire.WireException.class, () -> ClusterWire.type(ClusterWire.message("node").put("v", 4)));
    }

    /** A gradient check crosses by its wire name, and its report comes back with the reply. */
    @Test
    void aGradientCheckAndItsReportCross() throws Exception {
        RunCommand check = ClusterWire.command(ClusterWire.command(RunCommand.control(RunCommand.Kind.GRADIENT_CHECK, "r")));
        assertEquals(RunCommand.Kind.GRADIENT_CHECK, check.kind());
        GradientCheck.Result result = new GradientCheck.Result(1e-9, List.of(new GradientCheck.LayerErrors(
                new GradientCheck.TensorError(1e-9, 16, 0, 16), new GradientCheck.TensorError(Double.NaN, 8, 1, 8))),
                64, 64);
        RunSnapshot run = new RunSnapshot("r", RunStatus.RUNNING, null, 10, 100,
                new ObjectMapper().readTree("{\"layers\":[2,1]}"), "d", 2, 1, 0, 5, 1, 0, 0.25,
                "name", false, 0.3, List.of(), null, new Points(2, 0));
        GradientCheckReport back = ClusterWire.reply(ClusterWire.reply(CommandReply.checked(run,
                new GradientCheckReport("r", 10, result, 7)))).check();
        assertEquals(10, back.iteration());
        assertEquals(7, back.elapsedMs());
        assertEquals(result.layers().get(0), back.result().layers().get(0));
        assertTrue(Double.isNaN(back.result().layers().get(0).biases().error()));
        assertEquals(64, back.result().examples());
    }

    @Test
    void viewSnapshotsComeBackBitForBitAndATruncatedOneIsRefused() {
        double[] w1 = {0.5, -0.25, 1, 2};
        Histogram h = new Histogram(new double[] {0, 0.5, 1}, new int[] {3, 1}, 2);
        HistogramsSnapshot histograms = new HistogramsSnapshot("r", 12, List.of(new LayerHistograms(h, null, h)), true, 4);
        BoundarySnapshot boundary = new BoundarySnapshot("r", 12, new Plane(-1, 1, -2, 2), 2, new double[] {0, 0.25, 0.5, 1});
        NetworkSnapshot network = new NetworkSnapshot("r", 12, new Wiring(new int[] {2, 2, 1},
                new int[][] {{0, 1}, {0, 1}, {0}}, List.of(w1, new double[] {3, 4}), List.of(new double[] {0, 1},
                new double[] {Double.NaN})));
        HistogramsSnapshot h2 = (HistogramsSnapshot) ViewWire.snapshot(ViewWire.snapshot(histograms));
        assertEquals(12, h2.iteration());
        assertTrue(h2.kept());
        assertEquals(4, h2.stride());
        assertEquals(null, h2.layers().get(0).gradients());
        assertTrue(java.util.Arrays.equals(h.edges(), h2.layers().get(0).weights().edges()));
        assertTrue(java.util.Arrays.equals(h.counts(), h2.layers().get(0).activations().counts()));
        assertEquals(2, h2.layers().get(0).weights().nonFinite());
        BoundarySnapshot b2 = (BoundarySnapshot) ViewWire.snapshot(ViewWire.snapshot(boundary));
        assertEquals(boundary.plane(), b2.plane());
        assertTrue(java.util.Arrays.equals(boundary.values(), b2.values()));
        NetworkSnapshot n2 = (NetworkSnapshot) ViewWire.snapshot(ViewWire.snapshot(network));
        assertTrue(java.util.Arrays.equals(w1, n2.wiring().weights().get(0)));
        assertTrue(Double.isNaN(n2.wiring().biases().get(1)[0]));
        assertTrue(java.util.Arrays.deepEquals(network.wiring().units(), n2.wiring().units()));

        KeptViews.Histograms kept = ViewWire.keptHistograms(ViewWire.keptHistograms(
                new KeptViews.Histograms(4, List.of(histograms, histograms))));
        assertEquals(2, kept.snapshots().size());
        assertEquals(4, kept.stride());
        Dataset train = new Dataset(2, 2, new double[] {0, 1, 1, 0}, new double[] {1, 0});
        DataSnapshot data = ViewWire.data(ViewWire.data(new DataSnapshot("r", new Plane(-1, 1, -1, 1), train, 5, null, 0)));
        assertTrue(java.util.Arrays.equals(train.x(), data.train().x()));
        assertEquals(5, data.trainTotal());
        assertEquals(null, data.validation());
        assertEquals(null, ViewWire.data(ViewWire.data((DataSnapshot) null)));

        Buffer wire = ViewWire.snapshot(boundary);
        assertThrows(ClusterWire.WireException.class, () -> ViewWire.snapshot(wire.getBuffer(0, wire.length() - 1)));
        Buffer huge = ViewWire.snapshot(boundary);
        huge.setInt(huge.length() - 4 * 8 - 4, Integer.MAX_VALUE);
        assertThrows(ClusterWire.WireException.class, () -> ViewWire.snapshot(huge), "a length past the end, not allocated");
        Buffer old = ViewWire.snapshot(boundary);
        old.setByte(0, (byte) ClusterWire.PREVIOUS);
        assertTrue(assertThrows(ClusterWire.WireException.class, () -> ViewWire.snapshot(old)).getMessage()
                .contains("version 2"));
    }
}
