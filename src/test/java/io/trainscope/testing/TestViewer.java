package io.trainscope.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The one test viewer: a real WebSocket client that records every message it receives, in order, for tests that
 * wait on what a viewer has seen. It reads messages two ways: {@link #await} finds any message received so far,
 * and {@link #next} reads on from where the last {@code next} stopped, skipping messages of other types.
 */
public final class TestViewer implements AutoCloseable {

    /** The socket, for tests that send frames of their own. */
    public final WebSocket socket;
    /** Held for the life of the viewer: Vert.x 5 closes a client that is garbage-collected, connections and all. */
    private final WebSocketClient client;
    private final List<JsonObject> received = new ArrayList<>();
    private final CompletableFuture<Short> closed = new CompletableFuture<>();
    private volatile String closeReason;
    private int cursor;

    private TestViewer(WebSocketClient client, WebSocket socket) {
        this.client = client;
        this.socket = socket;
        socket.textMessageHandler(text -> add(new JsonObject(text)));
        socket.binaryMessageHandler(bytes -> add(BinaryMessages.decode(bytes)));
        socket.closeHandler(v -> {
            closeReason = socket.closeReason();
            closed.complete(socket.closeStatusCode());
        });
    }

    private void add(JsonObject message) {
        synchronized (received) {
            received.add(message);
            received.notifyAll();
        }
    }

    /** A client whose messages may be as large as a server's histories (the Vert.x client's default is 256 KB). */
    public static WebSocketClient client(Vertx vertx, WebSocketClientOptions options) {
        return vertx.createWebSocketClient(options.setMaxMessageSize(64 << 20));
    }

    public static TestViewer connect(Vertx vertx, int port) {
        return connect(vertx, port, "/ws");
    }

    public static TestViewer connect(Vertx vertx, int port, String uri) {
        return connect(vertx, port, uri, Map.of());
    }

    /**
     * Connects to {@code 127.0.0.1:port}, no name resolved, with {@code Host: localhost:port} as a browser on
     * this machine would send it, plus {@code headers}.
     */
    public static TestViewer connect(Vertx vertx, int port, String uri, Map<String, String> headers) {
        return connect(client(vertx, new WebSocketClientOptions()), options(port, uri, headers));
    }

    /** Connects to {@code /ws} through a client with these options (a small receive buffer, say). */
    public static TestViewer connect(Vertx vertx, int port, WebSocketClientOptions clientOptions) {
        return connect(client(vertx, clientOptions), options(port, "/ws", Map.of()));
    }

    private static WebSocketConnectOptions options(int port, String uri, Map<String, String> headers) {
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setServer(io.vertx.core.net.SocketAddress.inetSocketAddress(port, "127.0.0.1"))
                .setHost("localhost").setPort(port).setURI(uri);
        headers.forEach(options::addHeader);
        return options;
    }

    /** Asserts that {@code iterations} are exactly {@code from}, {@code from + 1}, ..., {@code to - 1}. */
    public static void assertIterations(long from, long to, List<Long> iterations) {
        for (int i = 0; i < iterations.size(); i++) {
            org.junit.jupiter.api.Assertions.assertEquals(from + i, iterations.get(i),
                    "point " + i + " of " + iterations.size());
        }
        org.junit.jupiter.api.Assertions.assertEquals(to - from, iterations.size(), "points received");
    }

    /** Handlers are set before connecting, so that the server's first message cannot arrive before them. */
    public static TestViewer connect(WebSocketClient client, WebSocketConnectOptions options) {
        ClientWebSocket socket = client.webSocket();
        TestViewer viewer = new TestViewer(client, socket);
        Wait.get(socket.connect(options));
        return viewer;
    }

    public void send(String text) {
        Wait.get(socket.writeTextMessage(text));
    }

    public void send(JsonObject message) {
        send(message.encode());
    }

    /** Every message received so far, in order. */
    public List<JsonObject> received() {
        synchronized (received) {
            return new ArrayList<>(received);
        }
    }

    /** Lets go of the messages received so far, for tests that measure the server's heap. */
    public void forget() {
        synchronized (received) {
            received.clear();
            cursor = 0;
        }
    }

    public List<JsonObject> ofType(String type) {
        return received().stream().filter(m -> type.equals(m.getString("type"))).toList();
    }

    /** Waits for a message matching {@code test} among all received, and returns the first such. */
    public JsonObject await(Predicate<JsonObject> test) {
        Wait.until(() -> received().stream().anyMatch(test), "a matching message; got " + received().size());
        return received().stream().filter(test).findFirst().orElseThrow();
    }

    public JsonObject awaitType(String type) {
        return await(m -> type.equals(m.getString("type")));
    }

    public JsonObject awaitState(String runId, String status) {
        return await(m -> "state".equals(m.getString("type")) && runId.equals(m.getString("runId"))
                && status.equals(m.getString("status")));
    }

    /** The next message of {@code type} after the last one {@code next} returned, skipping others. */
    public JsonObject next(String type) {
        long deadline = System.nanoTime() + Wait.TIMEOUT.toNanos();
        synchronized (received) {
            while (true) {
                while (cursor < received.size()) {
                    JsonObject message = received.get(cursor++);
                    if (type.equals(message.getString("type"))) {
                        return message;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no \"" + type + "\" message within " + Wait.TIMEOUT);
                }
                try {
                    received.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** From now on, {@link #next} reads only messages that arrive after this call. */
    public void skipReceived() {
        synchronized (received) {
            cursor = received.size();
        }
    }

    /** Sends {@code text} and returns the error it is answered with. */
    public JsonObject refused(String text) {
        send(text);
        return next("error");
    }

    /** Starts a run and returns its id (from the {@code ack}). */
    public String start(JsonObject spec) {
        int before = ofType("ack").size();
        send(new JsonObject().put("type", "start").put("spec", spec));
        Wait.until(() -> ofType("ack").size() > before || !ofType("error").isEmpty(), "an ack to start");
        if (ofType("ack").size() == before) {
            throw new AssertionError("start refused: " + ofType("error"));
        }
        return ofType("ack").get(before).getString("runId");
    }

    /** Every point of {@code runId} received, in arrival order: join/catch-up histories and live updates. */
    public List<JsonObject> points(String runId) {
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

    public List<Long> iterations(String runId) {
        return points(runId).stream().map(p -> p.getLong("iteration")).toList();
    }

    /** The last iteration of {@code runId} received, -1 when none. */
    public long lastIteration(String runId) {
        List<Long> iterations = iterations(runId);
        return iterations.isEmpty() ? -1 : iterations.get(iterations.size() - 1);
    }

    /** Waits for the server to close the connection and returns its close code. */
    public short awaitClose() {
        try {
            return closed.get(Wait.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the server did not close the connection: " + e, e);
        }
    }

    /** The reason of the server's close frame, once closed; null without one. */
    public String closeReason() {
        return closeReason;
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        Wait.get(socket.close());
        client.close();
    }
}
