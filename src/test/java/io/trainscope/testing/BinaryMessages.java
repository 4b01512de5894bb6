package io.trainscope.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.trainscope.point.Layout;
import io.trainscope.point.Points;
import io.trainscope.wire.MetricsBinary;
import io.trainscope.wire.MetricsJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A message of a viewer that asked for {@code encoding=binary}, read back as the JSON message it stands for: its
 * fields, and its payload's points as JSON objects (written by the server's own JSON writer, so that a test can
 * compare them with a JSON viewer's). The message's size is kept as {@code "bytes"}.
 */
final class BinaryMessages {

    private BinaryMessages() {
    }

    static JsonObject decode(Buffer frame) {
        byte[] bytes = frame.getBytes();
        int newline = -1;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            return new JsonObject(frame).put("bytes", bytes.length);
        }
        if ((newline + 1) % 4 != 0) {
            throw new AssertionError("the payload starts at " + (newline + 1) + ", not a multiple of 4");
        }
        JsonObject message = new JsonObject(Buffer.buffer(Arrays.copyOf(bytes, newline)));
        JsonObject binary = message.getJsonObject("binary");
        Layout layout = Layout.of(binary.getInteger("depth"));
        if (binary.getInteger("lanes") != layout.width()) {
            throw new AssertionError(binary.getInteger("lanes") + " lanes in a layout of " + layout.width());
        }
        Points points = MetricsBinary.decode(Arrays.copyOfRange(bytes, newline + 1, bytes.length),
                binary.getBoolean("compressed"), binary.getInteger("count"), layout, message.getLong("from"));
        JsonArray array = new JsonArray();
        for (int p = 0; p < points.size(); p++) {
            StringWriter text = new StringWriter();
            try (JsonGenerator out = new JsonFactory().createGenerator(text)) {
                MetricsJson.writePoint(out, points, p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            array.add(new JsonObject(text.toString()));
        }
        return message.put("points", array).put("bytes", bytes.length);
    }
}
