package io.trainscope.server.web;

import io.trainscope.point.Schema;
import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.testing.Specs;
import io.trainscope.testing.TestViewer;
import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Viewers that ask for {@code encoding=binary} are sent the same points as JSON viewers, every column of the
 * schema, each value the nearest float32 of the JSON's double, in far fewer bytes.
 */
@ExtendWith(VertxExtension.class)
class BinaryEncodingTest {

    private Vertx vertx;
    private int port;

    @BeforeEach
    void start(Vertx vertx) {
        this.vertx = vertx;
        port = Wait.get(Server.start(vertx, ServerConfig.defaults().withPort(0))).port();
    }

    /**
     * A deep network holding examples out, so that every column of the schema, optional ones too, has values; paced
     * so that it takes about 30 updates.
     */
    private static JsonObject deep(long iterations) {
        return Specs.xor(iterations, 2000).put("layers", new JsonArray(List.of(2, 8, 8, 8, 1))).put("validationSplit", 0.25);
    }

    private static void assertNearestFloat(Object expected, Object actual, String what) {
        if (expected == null) {
            assertNull(actual, what);
            return;
        }
        double value = ((Number) expected).doubleValue();
        assertEquals((float) value, ((Number) actual).floatValue(), 0.0f, what);
    }

    private static void assertSamePoint(JsonObject json, JsonObject binary) {
        assertEquals(json.fieldNames(), binary.fieldNames(), "the same fields");
        assertEquals(json.getLong("iteration"), binary.getLong("iteration"));
        for (String field : json.fieldNames()) {
            Object value = json.getValue(field);
            if (value instanceof JsonArray array) {
                JsonArray other = binary.getJsonArray(field);
                assertEquals(array.size(), other.size(), field);
                for (int i = 0; i < array.size(); i++) {
                    assertNearestFloat(array.getValue(i), other.getValue(i), field + "[" + i + "]");
                }
            } else if (!field.equals("iteration")) {
                assertNearestFloat(value, binary.getValue(field), field);
            }
        }
    }

    @Test
    void binaryViewersGetEveryColumnAsTheNearestFloat() {
        TestViewer json = TestViewer.connect(vertx, port);
        TestViewer binary = TestViewer.connect(vertx, port, "/ws?encoding=binary");
        assertEquals("json", json.awaitType("hello").getString("encoding"));
        assertEquals("binary", binary.awaitType("hello").getString("encoding"));
        String run = json.start(deep(3000));
        json.awaitState(run, "finished");
        binary.awaitState(run, "finished");
        List<JsonObject> expected = json.points(run);
        List<JsonObject> actual = binary.points(run);
        assertEquals(expected.size(), actual.size(), "the same live updates");
        assertTrue(expected.size() > 40, expected.size() + " points");
        for (String column : Schema.COLUMNS.stream().map(c -> c.name()).toList()) {
            assertTrue(expected.get(expected.size() - 1).containsKey(column), column + " is in the points");
        }
        for (int p = 0; p < expected.size(); p++) {
            assertSamePoint(expected.get(p), actual.get(p));
        }
        long jsonBytes = json.ofType("metrics").stream().mapToLong(m -> m.encode().length()).sum();
        long binaryBytes = binary.ofType("metrics").stream().mapToLong(m -> m.getLong("bytes")).sum();
        System.out.printf("binary encoding: %d live updates of [2,8,8,8,1] with validation, %d bytes in binary"
                + " against about %d in JSON%n", binary.ofType("metrics").size(), binaryBytes, jsonBytes);
        assertTrue(binaryBytes * 2 < jsonBytes, binaryBytes + " binary bytes, " + jsonBytes + " JSON");
    }

    @Test
    void aLongJoinHistoryIsCompressedAndSmall() {
        TestViewer starter = TestViewer.connect(vertx, port);
        JsonObject spec = Specs.xor(20_000, 0).put("layers", new JsonArray(List.of(2, 16, 16, 1)))
                .put("dataset", new JsonObject().put("name", "spiral").put("samples", 500).put("seed", 1))
                .put("learningRate", 0.3);
        String run = starter.start(spec);
        starter.awaitState(run, "finished");
        TestViewer json = TestViewer.connect(vertx, port);
        TestViewer binary = TestViewer.connect(vertx, port, "/ws?encoding=binary");
        JsonObject jsonJoin = json.awaitType("history");
        JsonObject binaryJoin = binary.awaitType("history");
        assertTrue(binaryJoin.getJsonObject("binary").getBoolean("compressed"));
        assertEquals(jsonJoin.getJsonArray("points").size(), binaryJoin.getJsonArray("points").size());
        for (int p = 0; p < jsonJoin.getJsonArray("points").size(); p++) {
            assertSamePoint(jsonJoin.getJsonArray("points").getJsonObject(p), binaryJoin.getJsonArray("points").getJsonObject(p));
        }
        long bytes = binaryJoin.getLong("bytes");
        System.out.printf("binary encoding: a join history of %d points of [2,16,16,1]: %,d bytes (JSON %,d)%n",
                binaryJoin.getJsonArray("points").size(), bytes, jsonJoin.encode().length());
        assertTrue(bytes <= 150_000, bytes + " bytes");
    }

    @Test
    void anUnknownEncodingIsRefusedByName() {
        Throwable refused = Wait.failure(TestViewer.client(vertx, new io.vertx.core.http.WebSocketClientOptions())
                .connect(port, "127.0.0.1", "/ws?encoding=msgpack"));
        UpgradeRejectedException rejected = assertInstanceOf(UpgradeRejectedException.class, refused);
        assertEquals(400, rejected.getStatus());
        JsonObject body = rejected.getBody().toJsonObject();
        assertEquals("encoding must be json or binary, got \"msgpack\"", body.getString("error"));
        assertEquals("encoding", body.getString("field"));
    }
}
