package io.trainscope.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** A real WebSocket client that records every message, for tests that wait on what a viewer has seen. */
final class TestViewer {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    final WebSocketClient client;
    final WebSocket socket;
    private final List<JsonObject> received = new ArrayList<>();

    private TestViewer(WebSocketClient client, WebSocket socket) {
        this.client = client;
        this.socket = socket;
        socket.textMessageHandler(text -> {
            synchronized (received) {
                received.add(new JsonObject(text));
            }
        });
    }

    static TestViewer connect(Vertx vertx, int port, String uri) {
        return connect(vertx, port, uri, new WebSocketClientOptions());
    }

    static TestViewer connect(Vertx vertx, int port, String uri, WebSocketClientOptions clientOptions) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri);
        // Kept reachable: Vert.x closes a client that is garbage-collected, even mid-handshake.
        // Histories can pass the client's default 256 KB message limit; browsers have none.
        WebSocketClient client = vertx.createWebSocketClient(clientOptions.setMaxMessageSize(64 << 20));
        // The handler is set before connecting, so that the server's first message cannot arrive before it.
        ClientWebSocket socket = client.webSocket();
        TestViewer viewer = new TestViewer(client, socket);
        get(socket.connect(options));
        return viewer;
    }

    static TestViewer connect(Vertx vertx, int port) {
        return connect(vertx, port, "/ws");
    }

    static <T> T get(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("did not complete: " + e, e);
        }
    }

    void send(String text) {
        get(socket.writeTextMessage(text));
    }

    void send(JsonObject message) {
        send(message.encode());
    }

    List<JsonObject> received() {
        synchronized (received) {
            return new ArrayList<>(received);
        }
    }

    List<JsonObject> ofType(String type) {
        return received().stream().filter(m -> type.equals(m.getString("type"))).toList();
    }

    /** Waits for a message matching {@code test} and returns the first such. */
    JsonObject await(Predicate<JsonObject> test) {
        until(() -> received().stream().anyMatch(test), "a matching message; got " + received().size());
        return received().stream().filter(test).findFirst().orElseThrow();
    }

    JsonObject awaitType(String type) {
        return await(m -> type.equals(m.getString("type")));
    }

    JsonObject awaitState(String runId, String status) {
        return await(m -> "state".equals(m.getString("type")) && runId.equals(m.getString("runId"))
                && status.equals(m.getString("status")));
    }

    /** Starts a run and returns its id (from the {@code ack}). */
    String start(JsonObject spec) {
        int before = ofType("ack").size();
        send(new JsonObject().put("type", "start").put("spec", spec));
        until(() -> ofType("ack").size() > before || !ofType("error").isEmpty(), "an ack to start");
        if (ofType("ack").size() == before) {
            throw new AssertionError("start refused: " + ofType("error"));
        }
        return ofType("ack").get(before).getString("runId");
    }

    /** Every point of {@code runId} received, in arrival order: join/catch-up histories and live updates. */
    List<JsonObject> points(String runId) {
        List<JsonObject> points = new ArrayList<>();
        for (JsonObject m : received()) {
            String type = m.getString("type");
            if (runId.equals(m.getString("runId")) && ("metrics".equals(type) || "history".equals(type))
                    && !"request".equals(m.getString("purpose"))) {
                JsonArray array = m.getJsonArray("points");
                for (int i = 0; i < array.size(); i++) {
                    points.add(array.getJsonObject(i));
                }
            }
        }
        return points;
    }

    List<Long> iterations(String runId) {
        return points(runId).stream().map(p -> p.getLong("iteration")).toList();
    }

    void close() {
        get(socket.close());
        client.close();
    }

    static void until(BooleanSupplier condition, String what) {
        until(condition, what, TIMEOUT);
    }

    static void until(BooleanSupplier condition, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static JsonObject xor(long iterations, double pace) {
        JsonObject spec = new JsonObject().put("layers", new JsonArray().add(2).add(8).add(1))
                .put("learningRate", 0.5).put("iterations", iterations).put("seed", 3)
                .put("dataset", new JsonObject().put("name", "xor").put("samples", 64).put("noise", 0.05).put("seed", 3));
        if (pace > 0) {
            spec.put("pace", pace);
        }
        return spec;
    }
}
