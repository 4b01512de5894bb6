package io.trainscope.server.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
import io.trainscope.store.PointsCodec;
import io.trainscope.store.RateChange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place a message between nodes is written and read. Version {@value #VERSION} (3: the views of a run cross
 * nodes, {@code demand}, {@code kept} and view blocks ({@link ViewWire}), a reply carries a gradient check's report,
 * and a node leaving says so; 2: a start carries a list of runs, for sweeps; a reply lists every run a start made; a
 * run's state carries when it was asked for, its results, what it keeps to start from and its sweep label): each
 * JSON message carries {@code "v"}, each points or view block starts with it. A node reads version 2's messages,
 * whose form has not changed, refuses by name a version-2 message of a type version 3 added, and refuses any other
 * version rather than guess. Non-finite numbers travel as {@code null} and come back as NaN (the JSON rule of the viewers' wire).
 *
 * <p>Points are a binary block: {@code version:u8, runId:utf8 (u16 length), from:i64, to:i64, size:i64,
 * sentAt:i64 (epoch ms), itPerSec:f64, elapsedMs:i64, depth:u16, width:u16, count:i32}, then the {@code count}
 * points, the iterations and each of the {@code width} lanes (the point schema's layout for {@code depth}) column by
 * column in the store's codec ({@link PointsCodec}: about 34 bytes a [2,16,16,1] point; at most
 * {@link PointsCodec#MAX_POINTS} a block). {@code [from, to)} is
 * the range the block covers; {@code size} what the training node holds of the run.
 */
public final class ClusterWire {

    public static final int VERSION = 3;
    /** The version before: its messages have the same form as this one's, and are read as such. */
    static final int PREVIOUS = 2;
    /** What version 3 added: a node of version 2 sends none of these, and one sent it is refused. */
    private static final java.util.Set<String> NEW = java.util.Set.of("demand", "demanded", "kept", "leaving", "left",
            "parameters");
    /** The fixed part of a points block's head after the run id. */
    private static final int HEAD = 56;
    /** One codec per thread: it keeps a column's worth of scratch space. */
    private static final ThreadLocal<PointsCodec> CODEC = ThreadLocal.withInitial(PointsCodec::new);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusterWire() {
    }

    /** A message of another version, or malformed. */
    public static final class WireException extends RuntimeException {
        WireException(String message) {
            super(message, null, false, false);
        }
    }

    static JsonObject message(String type) {
        return new JsonObject().put("v", VERSION).put("type", type);
    }

    /** Checks the version of a received JSON message; returns its type. */
    static String type(JsonObject message) {
        Integer v = message.getInteger("v");
        String type = message.getString("type");
        if (v == null || (v != VERSION && v != PREVIOUS) || (v == PREVIOUS && NEW.contains(type))) {
            throw new WireException("cluster message" + (type == null ? "" : " \"" + type + "\"") + " of version " + v
                    + "; this node speaks version " + VERSION + " (and reads version " + PREVIOUS + "'s)");
        }
        if (type == null) {
            throw new WireException("cluster message with no type");
        }
        return type;
    }

    // Runs.

    static JsonObject snapshot(RunSnapshot run) {
        JsonArray changes = new JsonArray();
        for (RateChange change : run.changes()) {
            changes.add(new JsonArray().add(change.iteration()).add(number(change.learningRate())));
        }
        return new JsonObject().put("id", run.id()).put("status", run.status().wire()).put("reason", run.reason())
                .put("iteration", run.iteration()).put("iterations", run.iterations())
                .put("spec", new JsonObject(run.spec().toString())).put("description", run.description())
                .put("depth", run.depth()).put("startedAt", run.startedAt()).put("endedAt", run.endedAt())
                .put("elapsedMs", run.elapsedMs()).put("itPerSec", number(run.itPerSec()))
                .put("pace", number(run.pace())).put("cost", number(run.cost())).put("name", run.name())
                .put("parameters", run.parameters()).put("learningRate", number(run.learningRate()))
                .put("changes", changes).put("storageProblem", run.storageProblem())
                .put("createdAt", run.createdAt()).put("results", results(run.results()))
                .put("checkpoint", checkpoint(run.checkpoint())).put("sweep", vertxJson(run.sweep()));
    }

    private static JsonArray results(RunSnapshot.Results results) {
        return new JsonArray().add(number(results.bestCost())).add(number(results.accuracy()))
                .add(number(results.validationCost())).add(number(results.validationAccuracy()));
    }

    private static RunSnapshot.Results results(JsonArray json) {
        return new RunSnapshot.Results(real(json.getValue(0)), real(json.getValue(1)), real(json.getValue(2)),
                real(json.getValue(3)));
    }

    private static JsonObject checkpoint(Checkpoint checkpoint) {
        return checkpoint == null ? null : new JsonObject().put("iteration", checkpoint.iteration())
                .put("learningRate", number(checkpoint.learningRate())).put("keptAt", checkpoint.keptAt());
    }

    private static Checkpoint checkpoint(JsonObject json) {
        return json == null ? null : new Checkpoint(json.getLong("iteration"), real(json.getValue("learningRate")),
                json.getLong("keptAt"));
    }

    /** Any JSON value (a spec, a sweep label) as Vert.x JSON; null stays null. */
    private static Object vertxJson(JsonNode node) {
        return node == null || node.isNull() ? null : Json.decodeValue(node.toString());
    }

    private static JsonNode jackson(Object value) throws JsonProcessingException {
        return value == null ? null : JSON.readTree(Json.encode(value));
    }

    /** A snapshot read back; its {@code latest} point is {@code latest} (the receiver's own). */
    static RunSnapshot snapshot(JsonObject json, Points latest) {
        try {
            List<RateChange> changes = new ArrayList<>();
            for (Object change : json.getJsonArray("changes")) {
                JsonArray pair = (JsonArray) change;
                changes.add(new RateChange(pair.getLong(0), real(pair.getValue(1))));
            }
            JsonNode spec = JSON.readTree(json.getJsonObject("spec").encode());
            return new RunSnapshot(json.getString("id"), RunStatus.parse(json.getString("status")),
                    json.getString("reason"), json.getLong("iteration"), json.getLong("iterations"), spec,
                    json.getString("description"), json.getInteger("depth"), json.getLong("startedAt"),
                    json.getLong("endedAt"), json.getLong("elapsedMs"), real(json.getValue("itPerSec")),
                    real(json.getValue("pace")), real(json.getValue("cost")), json.getString("name"),
                    json.getBoolean("parameters"), real(json.getValue("learningRate")), changes,
                    json.getString("storageProblem"), latest, json.getLong("createdAt"),
                    results(json.getJsonArray("results")), checkpoint(json.getJsonObject("checkpoint")),
                    jackson(json.getValue("sweep")));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new WireException("a run's state could not be read: " + e.getMessage());
        }
    }

    /** {@code run} as it now reads: {@code status} for {@code reason}, ended now when that status is not live. */
    static RunSnapshot withStatus(RunSnapshot run, RunStatus status, String reason) {
        return new RunSnapshot(run.id(), status, reason, run.iteration(), run.iterations(), run.spec(),
                run.description(), run.depth(), run.startedAt(), status.ended() ? System.currentTimeMillis() : 0,
                run.elapsedMs(), 0, run.pace(), run.cost(), run.name(), run.parameters(), run.learningRate(),
                run.changes(), run.storageProblem(), run.latest(), run.createdAt(), run.results(), run.checkpoint(),
                run.sweep());
    }

    // Commands and replies.

    /** A command; a start's runs as {@code [{spec, path, sweep}]}, in the order asked. */
    static JsonObject command(RunCommand command) {
        JsonArray runs = new JsonArray();
        for (NewRun run : command.runs()) {
            runs.add(new JsonObject().put("spec", vertxJson(run.spec())).put("path", run.path())
                    .put("sweep", vertxJson(run.sweep())));
        }
        return message("command").put("kind", command.kind().wire()).put("runId", command.runId())
                .put("runs", runs).put("name", command.name()).put("learningRate", number(command.learningRate()));
    }

    static RunCommand command(JsonObject json) {
        try {
            String wire = json.getString("kind");
            RunCommand.Kind kind = java.util.Arrays.stream(RunCommand.Kind.values()).filter(k -> k.wire().equals(wire))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown command \"" + wire + "\""));
            List<NewRun> runs = new ArrayList<>();
            for (Object run : json.getJsonArray("runs")) {
                JsonObject asked = (JsonObject) run;
                runs.add(new NewRun((ObjectNode) jackson(asked.getJsonObject("spec")), asked.getString("path"),
                        jackson(asked.getValue("sweep"))));
            }
            return new RunCommand(kind, json.getString("runId"), runs, json.getString("name"),
                    real(json.getValue("learningRate")));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new WireException("a command could not be read: " + e.getMessage());
        }
    }

    /** A reply: its run, and every run a start made ({@code runs}, the first of them being {@code run}). */
    static JsonObject reply(CommandReply reply) {
        JsonArray runs = new JsonArray();
        for (RunSnapshot run : reply.runs()) {
            runs.add(snapshot(run));
        }
        return message("reply").put("code", reply.code()).put("error", reply.error()).put("field", reply.field())
                .put("run", reply.run() == null ? null : snapshot(reply.run())).put("runs", runs)
                .put("check", ViewWire.check(reply.check()));
    }

    static CommandReply reply(JsonObject json) {
        type(json);
        try {
            List<RunSnapshot> runs = new ArrayList<>();
            for (Object run : json.getJsonArray("runs")) {
                runs.add(replied((JsonObject) run));
            }
            JsonObject run = json.getJsonObject("run");
            return new CommandReply(run == null ? null : replied(run), json.getInteger("code"), json.getString("error"),
                    json.getString("field"), runs, ViewWire.check(json.getJsonObject("check")));
        } catch (RuntimeException e) {
            throw e instanceof WireException ? e : new WireException("a reply could not be read: " + e.getMessage());
        }
    }

    private static RunSnapshot replied(JsonObject run) {
        return snapshot(run, new Points(Math.max(1, run.getInteger("depth")), 0));
    }

    // Points.

    /** Points of a run as one block: {@code [from, to)} of a run whose node holds {@code size}. */
    public record Block(String runId, long from, long to, long size, long sentAt, double itPerSec, long elapsedMs,
                        Points points) {
    }

    public static Buffer points(Block block) {
        Points points = block.points();
        byte[] id = block.runId().getBytes(StandardCharsets.UTF_8);
        byte[] columns = CODEC.get().encode(points);
        Buffer out = Buffer.buffer(1 + 2 + id.length + HEAD + columns.length);
        out.appendByte((byte) VERSION).appendUnsignedShort(id.length).appendBytes(id)
                .appendLong(block.from()).appendLong(block.to()).appendLong(block.size())
                .appendLong(block.sentAt()).appendDouble(block.itPerSec()).appendLong(block.elapsedMs())
                .appendUnsignedShort(points.depth()).appendUnsignedShort(points.layout().width())
                .appendInt(points.size()).appendBytes(columns);
        return out;
    }

    /** The run a points block is of, read from its head alone. */
    static String runIdOf(Buffer in) {
        if (in.length() < 3 || !readable(in.getUnsignedByte(0))) {
            return null;
        }
        int idLength = in.getUnsignedShort(1);
        return in.length() < 3 + idLength ? null : in.getString(3, 3 + idLength, "UTF-8");
    }

    public static Block points(Buffer in) {
        try {
            int at = 0;
            int version = in.getUnsignedByte(at++);
            if (!readable(version)) {
                throw new WireException("points block of version " + version + "; this node reads versions " + PREVIOUS
                        + " and " + VERSION);
            }
            int idLength = in.getUnsignedShort(at);
            at += 2;
            String runId = in.getString(at, at + idLength, "UTF-8");
            at += idLength;
            long from = in.getLong(at);
            long to = in.getLong(at + 8);
            long size = in.getLong(at + 16);
            long sentAt = in.getLong(at + 24);
            double itPerSec = in.getDouble(at + 32);
            long elapsedMs = in.getLong(at + 40);
            int depth = in.getUnsignedShort(at + 48);
            int width = in.getUnsignedShort(at + 50);
            int n = in.getInt(at + 52);
            at += HEAD;
            Layout layout = Layout.of(depth);
            if (width != layout.width()) {
                throw new WireException("points of run " + runId + " have " + width + " values each; this node's "
                        + "schema has " + layout.width() + " (nodes of different versions)");
            }
            if (n < 0 || n > PointsCodec.MAX_POINTS) {
                throw new WireException("points block of run " + runId + " claims " + n + " points");
            }
            byte[] columns = in.getBytes(at, in.length());
            Points points = CODEC.get().decode(columns, 0, columns.length, n, layout);
            if (points == null) {
                throw new WireException("points block of run " + runId + " does not hold " + n + " points");
            }
            return new Block(runId, from, to, size, sentAt, itPerSec, elapsedMs, points);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new WireException("points block could not be read: " + e.getMessage());
        }
    }

    /** Points blocks have the same form in versions 2 and 3. */
    private static boolean readable(int version) {
        return version == VERSION || version == PREVIOUS;
    }

    private static Double number(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static double real(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
