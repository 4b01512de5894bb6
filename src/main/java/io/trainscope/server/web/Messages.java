package io.trainscope.server.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainscope.nn.Kernels;
import io.trainscope.point.Column;
import io.trainscope.point.Points;
import io.trainscope.point.Schema;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.bus.MetricsUpdate;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.spec.StrictJson;
import io.trainscope.store.RateChange;
import io.trainscope.wire.MetricsBinary;
import io.trainscope.wire.MetricsJson;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Every message the server sends to a viewer, encoded to UTF-8 JSON in one place (docs/protocol.md).
 * Points are written by {@link MetricsJson}, so non-finite numbers become {@code null} everywhere.
 */
public final class Messages {

    public static final int PROTOCOL = 1;
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();

    private Messages() {
    }

    interface Body {
        void write(JsonGenerator out) throws IOException;
    }

    static Buffer encode(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            out.setCodec(MAPPER);
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Buffer.buffer(bytes.toByteArray());
    }

    /** "malformed JSON at line L, column C: …", without Jackson's source excerpt. */
    static String malformed(com.fasterxml.jackson.core.JsonProcessingException e) {
        return "malformed JSON" + StrictJson.where(e);
    }

    static Buffer hello(int viewers, boolean control, boolean privateMode, Encoding encoding, List<RunSnapshot> runs,
                        ServerConfig config) {
        return encode(out -> {
            out.writeStartObject();
            out.writeStringField("type", "hello");
            out.writeNumberField("protocol", PROTOCOL);
            out.writeNumberField("viewers", viewers);
            out.writeBooleanField("control", control);
            out.writeBooleanField("tokenRequired", config.token() != null);
            out.writeBooleanField("private", privateMode);
            out.writeStringField("encoding", encoding.wire());
            out.writeStringField("kernels", Kernels.description());
            out.writeObjectFieldStart("limits");
            out.writeNumberField("maxRunning", config.maxRunning());
            out.writeNumberField("maxQueued", config.maxQueued());
            out.writeNumberField("pushRate", config.pushRate());
            out.writeNumberField("maxLivePoints", config.maxLivePoints());
            out.writeNumberField("maxHistoryPoints", config.maxHistoryPoints());
            out.writeNumberField("maxMessageBytes", config.maxMessageBytes());
            out.writeNumberField("maxLayerWidth", config.specLimits().maxLayerWidth());
            out.writeNumberField("maxDepth", config.specLimits().maxDepth());
            out.writeNumberField("maxIterations", config.specLimits().maxIterations());
            out.writeNumberField("maxSamples", config.specLimits().maxSamples());
            out.writeNumberField("maxParameters", config.specLimits().maxParameters());
            out.writeEndObject();
            writeSchema(out);
            out.writeArrayFieldStart("runs");
            for (RunSnapshot run : runs) {
                writeRun(out, run, "id");
            }
            out.writeEndArray();
            out.writeNumberField("time", System.currentTimeMillis());
            out.writeEndObject();
        });
    }

    static Buffer state(RunSnapshot run) {
        return encode(out -> {
            out.writeStartObject();
            out.writeStringField("type", "state");
            writeRunFields(out, run, "runId");
            out.writeEndObject();
        });
    }

    /** A live update; {@code time} is the send time in epoch ms. */
    static Buffer metrics(MetricsUpdate update, long time, Encoding encoding) {
        return withPoints(encoding, update.points(), update.from(), out -> {
            out.writeStringField("type", "metrics");
            out.writeStringField("runId", update.runId());
            out.writeNumberField("time", time);
            out.writeNumberField("from", update.from());
            out.writeNumberField("to", update.to());
            out.writeBooleanField("downsampled", update.downsampled());
            MetricsJson.writeNumber(out, "itPerSec", update.itPerSec());
            out.writeNumberField("elapsedMs", update.elapsedMs());
        });
    }

    /**
     * A message of {@code fields} and {@code points}. In JSON, the points are its last field. In binary, the
     * message is its fields as JSON with {@code "binary": {"count": n, "depth": L, "lanes": W, "compressed": c}}
     * in place of the points, padded with spaces so that a newline ends it at a multiple of 4 bytes, then the
     * points' columns ({@link MetricsBinary}), which can then be read in place as float32 arrays.
     */
    private static Buffer withPoints(Encoding encoding, Points points, long from, Body fields) {
        if (encoding == Encoding.JSON) {
            return encode(out -> {
                out.writeStartObject();
                fields.write(out);
                writePoints(out, points);
                out.writeEndObject();
            });
        }
        MetricsBinary.Encoded payload = MetricsBinary.encode(points, from);
        Buffer header = encode(out -> {
            out.writeStartObject();
            fields.write(out);
            out.writeObjectFieldStart("binary");
            out.writeNumberField("count", payload.count());
            out.writeNumberField("depth", points.depth());
            out.writeNumberField("lanes", payload.lanes());
            out.writeBooleanField("compressed", payload.compressed());
            out.writeEndObject();
            out.writeEndObject();
        });
        Buffer message = Buffer.buffer(header.length() + 4 + payload.bytes().length).appendBuffer(header);
        while ((message.length() + 1) % 4 != 0) {
            message.appendByte((byte) ' ');
        }
        return message.appendByte((byte) '\n').appendBytes(payload.bytes());
    }

    /**
     * Iterations {@code [from, to)} of a run. {@code purpose} says why it was sent: {@code join} (before live
     * points), {@code catchUp} (what a slow viewer missed), {@code request} (a viewer's {@code history}).
     */
    static Buffer history(String runId, long from, long to, Points points, boolean downsampled, String purpose,
                          Encoding encoding) {
        return withPoints(encoding, points, from, out -> {
            out.writeStringField("type", "history");
            out.writeStringField("runId", runId);
            out.writeStringField("purpose", purpose);
            out.writeNumberField("from", from);
            out.writeNumberField("to", to);
            out.writeBooleanField("downsampled", downsampled);
        });
    }

    /** A run and its points were deleted, sent to every viewer. */
    static Buffer deleted(String runId) {
        return encode(out -> {
            out.writeStartObject();
            out.writeStringField("type", "deleted");
            out.writeStringField("runId", runId);
            out.writeEndObject();
        });
    }

    static Buffer viewers(int count) {
        return encode(out -> {
            out.writeStartObject();
            out.writeStringField("type", "viewers");
            out.writeNumberField("count", count);
            out.writeEndObject();
        });
    }

    /** The answer to a request that was carried out ({@code start}: the new run's id). */
    static Buffer ack(String request, String runId) {
        return ack(request, runId, List.of());
    }

    /** As {@link #ack(String, String)}; a start of several runs (a sweep) also lists them all, {@code runIds}. */
    static Buffer ack(String request, String runId, List<RunSnapshot> runs) {
        return encode(out -> {
            out.writeStartObject();
            out.writeStringField("type", "ack");
            out.writeStringField("request", request);
            if (runId != null) {
                out.writeStringField("runId", runId);
            }
            if (runs.size() > 1) {
                out.writeArrayFieldStart("runIds");
                for (RunSnapshot run : runs) {
                    out.writeString(run.id());
                }
                out.writeEndArray();
            }
            out.writeEndObject();
        });
    }

    /** To the sender alone; {@code field} and {@code request} are left out when unknown. */
    static Buffer error(String message, String field, String request) {
        return encode(out -> {
            out.writeStartObject();
            out.writeStringField("type", "error");
            out.writeStringField("message", message);
            if (field != null) {
                out.writeStringField("field", field);
            }
            if (request != null) {
                out.writeStringField("request", request);
            }
            out.writeEndObject();
        });
    }

    /** A run as REST shows it: {@code {"id": …, "status": …, …}}. */
    static Buffer run(RunSnapshot run) {
        return encode(out -> writeRun(out, run, "id"));
    }

    static Buffer runs(List<RunSnapshot> runs) {
        return encode(out -> {
            out.writeStartArray();
            for (RunSnapshot run : runs) {
                writeRun(out, run, "id");
            }
            out.writeEndArray();
        });
    }

    private static void writeRun(JsonGenerator out, RunSnapshot run, String idField) throws IOException {
        out.writeStartObject();
        writeRunFields(out, run, idField);
        out.writeEndObject();
    }

    private static void writeRunFields(JsonGenerator out, RunSnapshot run, String idField) throws IOException {
        out.writeStringField(idField, run.id());
        out.writeStringField("status", run.status().wire());
        if (run.name() != null) {
            out.writeStringField("name", run.name());
        }
        out.writeBooleanField("parameters", run.parameters());
        if (run.reason() != null) {
            out.writeStringField("reason", run.reason());
        }
        if (run.storageProblem() != null) {
            out.writeStringField("storageProblem", run.storageProblem());
        }
        out.writeNumberField("iteration", run.iteration());
        out.writeNumberField("iterations", run.iterations());
        out.writeStringField("summary", run.description());
        out.writeNumberField("depth", run.depth());
        out.writeNumberField("createdAt", run.createdAt());
        out.writeNumberField("startedAt", run.startedAt());
        if (run.endedAt() > 0) {
            out.writeNumberField("endedAt", run.endedAt());
        }
        out.writeNumberField("elapsedMs", run.elapsedMs());
        MetricsJson.writeNumber(out, "itPerSec", run.itPerSec());
        out.writeNumberField("pace", run.pace());
        MetricsJson.writeNumber(out, "cost", run.cost());
        MetricsJson.writeNumber(out, "learningRate", run.learningRate());
        out.writeArrayFieldStart("changes");
        for (RateChange change : run.changes()) {
            out.writeStartObject();
            out.writeNumberField("iteration", change.iteration());
            out.writeNumberField("learningRate", change.learningRate());
            out.writeEndObject();
        }
        out.writeEndArray();
        RunSnapshot.Results results = run.results();
        MetricsJson.writeNumber(out, "bestCost", results.bestCost());
        MetricsJson.writeNumber(out, "accuracy", results.accuracy());
        MetricsJson.writeNumber(out, "validationCost", results.validationCost());
        MetricsJson.writeNumber(out, "validationAccuracy", results.validationAccuracy());
        if (run.checkpoint() != null) {
            out.writeObjectFieldStart("checkpoint");
            out.writeNumberField("iteration", run.checkpoint().iteration());
            MetricsJson.writeNumber(out, "learningRate", run.checkpoint().learningRate());
            out.writeNumberField("keptAt", run.checkpoint().keptAt());
            out.writeEndObject();
        }
        if (run.sweep() != null) {
            out.writeFieldName("sweep");
            out.writeTree(run.sweep());
        }
        out.writeFieldName("spec");
        out.writeTree(run.spec());
    }

    /**
     * The point schema, {@code "schema": [{"name": "cost", "kind": "run", "optional": false}, …]}: what a point
     * holds, so that a page builds its series from it, not from a list of its own.
     */
    private static void writeSchema(JsonGenerator out) throws IOException {
        out.writeArrayFieldStart("schema");
        for (Column column : Schema.COLUMNS) {
            out.writeStartObject();
            out.writeStringField("name", column.name());
            out.writeStringField("kind", column.kind().wire());
            out.writeBooleanField("optional", column.optional());
            out.writeEndObject();
        }
        out.writeEndArray();
    }

    static void writePoints(JsonGenerator out, Points points) throws IOException {
        out.writeArrayFieldStart("points");
        for (int p = 0; p < points.size(); p++) {
            MetricsJson.writePoint(out, points, p);
        }
        out.writeEndArray();
    }
}
