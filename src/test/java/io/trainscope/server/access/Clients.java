package io.trainscope.server.access;

import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.ServerMetrics;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
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
    /**
     * The JDK's client, as a script's would be. Vert.x 5.0.7's HttpClient, pooled or not, now and then never
     * completed a request to this server (1 in 350-1500 here, with a large body every third request), while the JDK's
     * client and curl completed every one of the same requests on the same server.
     */
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
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT)
                .sslContext(tls ? trustingEveryCertificate() : defaultContext()).build();
    }

    /** The servers under test present a certificate made at test time, for no name in particular. */
    private static SSLContext trustingEveryCertificate() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509ExtendedTrustManager() {
                @Override public void checkClientTrusted(X509Certificate[] chain, String auth, Socket socket) { }
                @Override public void checkServerTrusted(X509Certificate[] chain, String auth, Socket socket) { }
                @Override public void checkClientTrusted(X509Certificate[] chain, String auth, SSLEngine engine) { }
                @Override public void checkServerTrusted(X509Certificate[] chain, String auth, SSLEngine engine) { }
                @Override public void checkClientTrusted(X509Certificate[] chain, String auth) { }
                @Override public void checkServerTrusted(X509Certificate[] chain, String auth) { }
                @Override public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
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
     * The server's address for WebSocket handshakes, given as an IP so that no name is resolved, as for every
     * other client of the tests. The Host header stays {@code localhost:port}, the authority that the origin
     * checks compare against.
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
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create((tls ? "https" : "http") + "://127.0.0.1:"
                + port + uri)).timeout(WAIT).method(method.name(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        if (body != null && !body.isEmpty() && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            MultiMap replyHeaders = MultiMap.caseInsensitiveMultiMap();
            response.headers().map().forEach(replyHeaders::add);
            return new Reply(response.statusCode(), replyHeaders, Buffer.buffer(response.body()));
        } catch (java.io.IOException e) {
            throw new AssertionError(method + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
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

    private WebSocketConnectOptions options(String uri, Map<String, String> headers) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setServer(server()).setHost("localhost")
                .setPort(port).setURI(uri);
        headers.forEach(options::addHeader);
        return options;
    }

    Future<WebSocket> connect(WebSocketClient client, String uri, Map<String, String> headers) {
        return client.connect(options(uri, headers));
    }

    /**
     * A viewer whose handlers are set before it connects, so that the server's first message cannot arrive
     * before them: set when the connection's future completed, they once missed a {@code hello} on a busy machine.
     */
    Viewer viewer(WebSocketClient client, String uri, Map<String, String> headers) {
        ClientWebSocket socket = client.webSocket();
        Viewer viewer = new Viewer(socket);
        await(socket.connect(options(uri, headers)));
        return viewer;
    }

    Viewer viewer(String uri, Map<String, String> headers) {
        return viewer(socketClient(64 * 1024), uri, headers);
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
