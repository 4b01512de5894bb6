package io.trainscope.server.access;

import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.ServerMetrics;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real HTTP and WebSocket clients for the access and limit tests, used in blocking style from the test thread
 * (never an event loop), so that each test reads as the steps a person or a script would take.
 */
final class Clients {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String XOR = "{\"layers\": [2, 8, 1], \"learningRate\": 0.5, \"iterations\": %d, "
            + "\"dataset\": {\"name\": \"xor\", \"samples\": 64}%s}";

    private final Vertx vertx;
    private final int port;
    private final boolean tls;
    private final HttpClient http;
    /**
     * Held for the life of the test: Vert.x 5 closes a client that is garbage collected, connections and all
     * ("Connection evicted"), even one in the middle of its handshake.
     */
    private final java.util.List<WebSocketClient> socketClients = new java.util.ArrayList<>();

    Clients(Vertx vertx, int port, boolean tls) {
        this.vertx = vertx;
        this.port = port;
        this.tls = tls;
        // A connection per request, as curl in a script would: under load, a pooled connection that the server
        // had just closed after a refusal was sometimes handed to the next request, which then never completed.
        this.http = vertx.createHttpClient(new HttpClientOptions().setSsl(tls).setTrustAll(tls).setVerifyHost(false)
                .setKeepAlive(false));
    }

    static Server start(Vertx vertx, String token, SecurityConfig security) {
        ServerConfig config = ServerConfig.defaults().withPort(0).withToken(token);
        return await(Server.start(vertx, config, security, new ServerMetrics()));
    }

    /** A spec of {@code iterations} on XOR; {@code pace} > 0 slows it to that many iterations a second. */
    static String spec(long iterations, double pace) {
        return String.format(XOR, iterations, pace > 0 ? ", \"pace\": " + pace : "");
    }

    /**
     * The server's address, given as an IP so that no name is resolved: the first lookup of "localhost" in a
     * fresh JVM on a fresh CI machine once took longer than {@link #WAIT}. The Host header stays
     * {@code localhost:port}, the authority that the origin checks compare against.
     */
    private SocketAddress server() {
        return SocketAddress.inetSocketAddress(port, "127.0.0.1");
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("did not complete: " + e, e);
        }
    }

    /** The failure of a future that must fail. */
    static Throwable awaitFailure(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return fail("expected a failure");
    }

    record Reply(int status, MultiMap headers, Buffer body) {
        JsonObject json() {
            return body.toJsonObject();
        }
    }

    Reply http(HttpMethod method, String uri, Map<String, String> headers, String body) {
        RequestOptions options = new RequestOptions().setMethod(method).setServer(server()).setPort(port)
                .setHost("localhost").setURI(uri);
        headers.forEach(options::addHeader);
        return await(http.request(options)
                .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(b -> new Reply(response.statusCode(), response.headers(), b))));
    }

    Reply get(String uri, Map<String, String> headers) {
        return http(HttpMethod.GET, uri, headers, null);
    }

    Reply post(String uri, Map<String, String> headers, String body) {
        return http(HttpMethod.POST, uri, headers, body);
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    /** A viewer connection that keeps every message it receives, in order. */
    static final class Viewer {
        final WebSocket socket;
        final LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Short> closed = new CompletableFuture<>();

        Viewer(WebSocket socket) {
            this.socket = socket;
            socket.textMessageHandler(text -> received.add(new JsonObject(text)));
            socket.closeHandler(v -> closed.complete(socket.closeStatusCode()));
        }

        /** The next message of this type, skipping others. */
        JsonObject next(String type) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            try {
                while (System.nanoTime() < deadline) {
                    JsonObject message = received.poll(100, TimeUnit.MILLISECONDS);
                    if (message != null && type.equals(message.getString("type"))) {
                        return message;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return fail("no \"" + type + "\" message within " + WAIT);
        }

        void send(String text) {
            await(socket.writeTextMessage(text));
        }

        /** Sends {@code text} and returns the error it is answered with. */
        JsonObject refused(String text) {
            send(text);
            return next("error");
        }

        short awaitClose() {
            try {
                return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new AssertionError("the server did not close the connection: " + e, e);
            }
        }

        void close() {
            socket.close();
        }
    }

    WebSocketClient socketClient(int maxFrameBytes) {
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(tls).setTrustAll(tls)
                .setVerifyHost(false).setMaxFrameSize(maxFrameBytes).setMaxMessageSize(64 * 1024 * 1024)
                .setMaxConnections(10_000));
        socketClients.add(client);
        return client;
    }

    /** Closes every WebSocket client made here, with their connections. */
    void closeSockets() {
        for (WebSocketClient client : socketClients) {
            await(client.close());
        }
        socketClients.clear();
    }

    Future<WebSocket> connect(WebSocketClient client, String uri, Map<String, String> headers) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setServer(server()).setHost("localhost")
                .setPort(port).setURI(uri);
        headers.forEach(options::addHeader);
        return client.connect(options);
    }

    /** Handlers are set on the event loop as the handshake completes, so that no early message is missed. */
    Viewer viewer(String uri, Map<String, String> headers) {
        return await(connect(socketClient(64 * 1024), uri, headers).map(Viewer::new));
    }

    Viewer viewer(String uri) {
        return viewer(uri, Map.of());
    }

    /** Connects and expects the handshake to be refused; returns the refusal. */
    UpgradeRejectedException rejected(String uri, Map<String, String> headers) {
        try {
            connect(socketClient(64 * 1024), uri, headers).toCompletionStage().toCompletableFuture()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof UpgradeRejectedException rejected) {
                return rejected;
            }
            throw new AssertionError("expected the handshake to be refused, got " + e.getCause(), e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return fail("the handshake to " + uri + " was accepted");
    }

    /** The refusal's status and its JSON body's error. */
    static JsonObject refusal(UpgradeRejectedException rejected, int status) {
        assertEquals(status, rejected.getStatus(), () -> "status; body " + rejected.getBody());
        assertNotNull(rejected.getBody(), "a refusal says why");
        return rejected.getBody().toJsonObject();
    }
}
