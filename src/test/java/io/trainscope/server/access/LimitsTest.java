package io.trainscope.server.access;

import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.web.ServerMetrics;
import io.trainscope.testing.TestViewer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static io.trainscope.server.access.Clients.await;
import static io.trainscope.server.access.Clients.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each limit of docs/security.md, reached over a real connection and answered with a clear error. */
@ExtendWith(VertxExtension.class)
class LimitsTest {

    static final Limits SMALL = new Limits(4096, 2, 5, 5, 2048);

    private static Server start(Vertx vertx, int maxMessageBytes) {
        ServerConfig d = ServerConfig.defaults();
        ServerConfig config = new ServerConfig(d.host(), 0, d.dataDir(), null, d.maxRunning(), d.pushRate(), false,
                d.maxLivePoints(), d.maxHistoryPoints(), maxMessageBytes, d.chunkMillis(), d.specLimits(), null);
        return await(Server.start(vertx, config, SecurityConfig.DEFAULT.withLimits(SMALL), new ServerMetrics()));
    }

    @Test
    void aFrameOverTheLimitClosesTheSocket(Vertx vertx) {
        Server server = start(vertx, 64 * 1024);
        Clients clients = new Clients(vertx, server.port(), false);
        TestViewer viewer = clients.viewer(clients.socketClient(1024 * 1024), "/ws", Map.of());
        WebSocket socket = viewer.socket;
        socket.writeFrame(WebSocketFrame.textFrame("{\"type\": \"" + "x".repeat(8000) + "\"}", true));
        short code = viewer.awaitClose();
        // 1009 (message too big) when the close frame gets out before the socket is dropped, else 1006.
        assertTrue(code == 1009 || code == 1006, "closed with " + code);
        assertEquals(200, clients.get("/health", Map.of()).status());
    }

    @Test
    void aMessageOverTheLimitIsAnsweredWithAnErrorNamingTheLimit(Vertx vertx) {
        Server server = start(vertx, 8192);
        Clients clients = new Clients(vertx, server.port(), false);
        TestViewer viewer = clients.viewer("/ws");
        assertEquals(8192, viewer.next("hello").getJsonObject("limits").getInteger("maxMessageBytes"));
        WebSocket socket = viewer.socket;
        String part = "y".repeat(3000);
        socket.writeFrame(WebSocketFrame.textFrame("{\"type\": \"" + part, false));
        for (int i = 0; i < 3; i++) {
            socket.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(part), false));
        }
        socket.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("\"}"), true));
        JsonObject error = viewer.next("error");
        assertTrue(error.getString("message").contains("max message size of 8192"), error::encode);
        JsonObject after = viewer.refused("{\"type\": \"history\", \"runId\": \"none\"}");
        assertEquals("runId", after.getString("field"), "the connection still works after the refusal");
    }

    @Test
    void viewersBeyondTheLimitAreRefusedWith503UntilOneLeaves(Vertx vertx) {
        Server server = start(vertx, 64 * 1024);
        Clients clients = new Clients(vertx, server.port(), false);
        TestViewer first = clients.viewer("/ws");
        first.next("hello");
        clients.viewer("/ws").next("hello");
        JsonObject full = refusal(clients.rejected("/ws", Map.of()), 503);
        assertTrue(full.getString("error").contains("--max-viewers"), full::encode);
        first.close();
        first.awaitClose();
        long deadline = System.nanoTime() + Clients.WAIT.toNanos();
        while (true) {
            try {
                clients.viewer("/ws").next("hello");
                break;
            } catch (AssertionError stillFull) {
                if (System.nanoTime() > deadline) {
                    throw stillFull;
                }
            }
        }
    }

    @Test
    void messagesOverTheRateGetAnErrorAndAFloodIsDisconnected(Vertx vertx) {
        Server server = start(vertx, 64 * 1024);
        Clients clients = new Clients(vertx, server.port(), false);
        TestViewer viewer = clients.viewer("/ws");
        viewer.next("hello");
        // "follow auto" is answered with nothing when accepted: every error below is the rate's.
        for (int i = 0; i < 12; i++) {
            viewer.socket.writeTextMessage("{\"type\": \"follow\", \"auto\": true}");
        }
        JsonObject error = viewer.next("error");
        assertTrue(error.getString("message").startsWith("too many messages"), error::encode);
        for (int i = 0; i < RateLimiter.ABUSE_REFUSALS + 50; i++) {
            viewer.socket.writeTextMessage("{\"type\": \"follow\", \"auto\": true}");
        }
        assertEquals((short) 1008, viewer.awaitClose(), "policy violation");
        assertEquals(200, clients.get("/health", Map.of()).status());
    }

    @Test
    void aRestBodyOverTheLimitIs413WithAJsonError(Vertx vertx) {
        Server server = start(vertx, 64 * 1024);
        Clients clients = new Clients(vertx, server.port(), false);
        Clients.Reply reply = clients.post("/api/runs", Map.of("Content-Type", "application/json"),
                "{\"layers\": [2, 1], \"pad\": \"" + "z".repeat(4000) + "\"}");
        assertEquals(413, reply.status());
        assertTrue(reply.json().getString("error").contains("2048"), reply.body()::toString);
    }

    /**
     * A client that sends its whole body before it reads (as curl does) sees the 413 and why: the server drops the
     * body it refused until it has come, instead of closing mid-body, which reset the connection under the client's
     * write (a broken pipe, no answer). 12 MB: more than loopback's socket buffers take before the reset.
     */
    @Test
    void aClientStillSendingARefusedBodySeesTheAnswer(Vertx vertx) throws Exception {
        Server server = start(vertx, 64 * 1024);
        byte[] body = new byte[12 << 20];
        java.util.Arrays.fill(body, (byte) ' ');
        try (RawHttp raw = new RawHttp(server.port())) {
            raw.send("POST /api/runs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n");
            raw.socket.getOutputStream().write(body);
            assertEquals(413, raw.status());
            assertTrue(raw.closedByServer(), "and the connection is closed once the body has come");
        }
    }

    @Test
    void theBucketAdmitsABurstThenTheRateAndClosesOnAbuse() {
        long t = 0;
        RateLimiter limiter = new RateLimiter(10, 3, t);
        for (int i = 0; i < 3; i++) {
            assertEquals(RateLimiter.Verdict.ADMIT, limiter.admit(t));
        }
        assertEquals(RateLimiter.Verdict.REFUSE, limiter.admit(t));
        t += 100_000_000L;
        assertEquals(RateLimiter.Verdict.ADMIT, limiter.admit(t), "one token a tenth of a second");
        assertEquals(RateLimiter.Verdict.REFUSE, limiter.admit(t));
        RateLimiter.Verdict last = RateLimiter.Verdict.REFUSE;
        for (int i = 0; i < RateLimiter.ABUSE_REFUSALS && last != RateLimiter.Verdict.CLOSE; i++) {
            last = limiter.admit(t);
        }
        assertEquals(RateLimiter.Verdict.CLOSE, last);
    }
}
