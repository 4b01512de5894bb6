package io.trainscope.server.access;

import io.trainscope.server.Server;
import io.trainscope.testing.TestViewer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static io.trainscope.server.access.Clients.bearer;
import static io.trainscope.server.access.Clients.refusal;
import static io.trainscope.server.access.Clients.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may watch and who may control, over real WebSocket and HTTP connections (docs/security.md). */
@ExtendWith(VertxExtension.class)
class AccessRulesTest {

    static final String TOKEN = "s3cret-Token_for-tests";
    static final String START = "{\"type\": \"start\", \"spec\": " + spec(100_000, 20) + "}";

    @Test
    void withoutATokenEveryoneControls(Vertx vertx) {
        Server server = Clients.start(vertx, null, SecurityConfig.DEFAULT);
        Clients clients = new Clients(vertx, server.port(), false);
        TestViewer viewer = clients.viewer("/ws");
        JsonObject hello = viewer.next("hello");
        assertTrue(hello.getBoolean("control"));
        assertFalse(hello.getBoolean("tokenRequired"));
        assertEquals(io.trainscope.nn.Kernels.description(), hello.getString("kernels"));
        viewer.send(START);
        String runId = viewer.next("ack").getString("runId");
        assertEquals(200, clients.post("/api/runs/" + runId + "/stop", Map.of(), "").status());
    }

    @Test
    void aViewerWithoutTheTokenWatchesReadOnly(Vertx vertx) {
        Server server = Clients.start(vertx, TOKEN, SecurityConfig.DEFAULT);
        Clients clients = new Clients(vertx, server.port(), false);
        TestViewer controller = clients.viewer("/ws?token=" + TOKEN);
        assertTrue(controller.next("hello").getBoolean("control"));
        controller.send(START);
        String runId = controller.next("ack").getString("runId");

        for (String uri : List.of("/ws", "/ws?token=wrong", "/ws?token=")) {
            TestViewer watcher = clients.viewer(uri);
            JsonObject hello = watcher.next("hello");
            assertFalse(hello.getBoolean("control"), uri);
            assertTrue(hello.getBoolean("tokenRequired"), uri);
            assertEquals(runId, watcher.next("state").getString("runId"), "a read-only viewer still watches");
            watcher.next("metrics");
            for (String type : List.of("pause", "resume", "step", "stop", "gradientCheck")) {
                JsonObject error = watcher.refused("{\"type\": \"" + type + "\", \"runId\": \"" + runId + "\"}");
                assertTrue(error.getString("message").contains("read-only"), error::encode);
                assertEquals("token", error.getString("field"));
                assertEquals(type, error.getString("request"));
            }
            assertEquals("token", watcher.refused(START).getString("field"));
            watcher.close();
        }
        assertEquals("running", clients.get("/api/runs/" + runId, Map.of()).json().getString("status"),
                "nothing a read-only viewer sent touched the run");
    }

    @Test
    void restWritesNeedTheBearerTokenAndReadsStayOpen(Vertx vertx) {
        Server server = Clients.start(vertx, TOKEN, SecurityConfig.DEFAULT);
        Clients clients = new Clients(vertx, server.port(), false);

        Clients.Reply none = clients.post("/api/runs", Map.of(), spec(10, 0));
        assertEquals(401, none.status());
        assertTrue(none.json().getString("error").contains("no token was given"), none.body()::toString);
        assertTrue(none.headers().get("WWW-Authenticate").startsWith("Bearer"));

        Clients.Reply wrong = clients.post("/api/runs", bearer("wrong"), spec(10, 0));
        assertEquals(403, wrong.status());
        assertTrue(wrong.json().getString("error").contains("wrong"));
        assertFalse(wrong.body().toString().contains(TOKEN), "an error never repeats the token");

        Clients.Reply started = clients.post("/api/runs", bearer(TOKEN), spec(100_000, 20));
        assertEquals(201, started.status(), started.body()::toString);
        String id = started.json().getString("id");
        assertEquals(401, clients.post("/api/runs/" + id + "/stop", Map.of(), "").status());
        assertEquals(200, clients.get("/api/runs", Map.of()).status());
        assertEquals(200, clients.get("/api/runs/" + id, Map.of()).status());
        assertEquals(200, clients.get("/metrics", Map.of()).status());
        assertEquals(200, clients.post("/api/runs/" + id + "/stop", bearer(TOKEN), "").status());
    }

    /**
     * Over one raw connection, as a keep-alive client uses it: a write refused for want of the token is answered
     * once its body has arrived, and the connection then serves the next request.
     */
    @Test
    void aRefusedWriteLeavesItsConnectionOpenForTheNextRequest(Vertx vertx) throws Exception {
        Server server = Clients.start(vertx, TOKEN, SecurityConfig.DEFAULT);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) Clients.WAIT.toMillis());
            java.io.OutputStream out = socket.getOutputStream();
            java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
            byte[] body = "x".repeat(300_000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            out.write(("POST /api/runs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            assertEquals(401, status(in));
            out.write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            assertEquals(200, status(in), "the same connection answers the next request");
        }
    }

    /** Reads one response (status line, headers, a Content-Length body) and returns its status. */
    private static int status(java.io.DataInputStream in) throws java.io.IOException {
        String statusLine = line(in);
        long length = 0;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(header.substring("content-length:".length()).trim());
            }
        }
        in.readFully(new byte[(int) length]);
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    private static String line(java.io.DataInputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new java.io.EOFException("the connection closed after \"" + line + "\"");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Test
    void aPrivateServerLetsNobodyWatchWithoutTheToken(Vertx vertx) {
        Server server = Clients.start(vertx, TOKEN, SecurityConfig.DEFAULT.withPrivate(true));
        Clients clients = new Clients(vertx, server.port(), false);

        JsonObject missing = refusal(clients.rejected("/ws", Map.of()), 401);
        assertTrue(missing.getString("error").contains("private"), missing::encode);
        refusal(clients.rejected("/ws?token=wrong", Map.of()), 403);
        assertTrue(clients.viewer("/ws?token=" + TOKEN).next("hello").getBoolean("control"));

        assertEquals(401, clients.get("/api/runs", Map.of()).status());
        assertEquals(403, clients.get("/api/runs", bearer("wrong")).status());
        assertEquals(200, clients.get("/api/runs", bearer(TOKEN)).status());
        assertEquals(200, clients.get("/api/runs?token=" + TOKEN, Map.of()).status(), "a download link's token");
        assertEquals(401, clients.post("/api/runs?token=" + TOKEN, Map.of(), spec(10, 0)).status(),
                "a write needs the header");
        assertEquals(401, clients.post("/api/runs/r/gradient-check", Map.of(), "").status(),
                "a gradient check needs the token, as every write");
        assertEquals(401, clients.get("/metrics", Map.of()).status());
        assertEquals(200, clients.get("/metrics", bearer(TOKEN)).status());
        assertEquals(200, clients.get("/health", Map.of()).status(), "load balancers need no token");
        JsonObject outside = clients.get("/api/access", Map.of()).json();
        assertEquals(new JsonObject().put("watch", false).put("control", false).put("tokenRequired", true)
                .put("private", true).put("reason", "no token was given"), outside);
        assertEquals("the token given is wrong", clients.get("/api/access", bearer("x")).json().getString("reason"));
        JsonObject inside = clients.get("/api/access", bearer(TOKEN)).json();
        assertTrue(inside.getBoolean("watch") && inside.getBoolean("control"), inside::encode);
        int page = clients.get("/index.html", Map.of()).status();
        assertTrue(page != 401 && page != 403, "the page's files are not behind the token: it must load to ask for it");
    }

    @Test
    void aForeignOriginIsRefusedAndNoOriginIsAllowed(Vertx vertx) {
        Server server = Clients.start(vertx, null,
                SecurityConfig.DEFAULT.withAllowedOrigins(List.of("https://dash.example.org")));
        Clients clients = new Clients(vertx, server.port(), false);
        int port = server.port();

        for (String origin : List.of("http://evil.example", "http://localhost:" + (port + 1), "https://localhost:" + port,
                "null", "http://localhost.evil.example:" + port, "not an origin")) {
            JsonObject body = refusal(clients.rejected("/ws", Map.of("Origin", origin)), 403);
            assertTrue(body.getString("error").contains("origin"), body::encode);
        }
        clients.viewer("/ws").next("hello");
        clients.viewer("/ws", Map.of("Origin", "http://localhost:" + port)).next("hello");
        clients.viewer("/ws", Map.of("Origin", "http://LOCALHOST:" + port)).next("hello");
        clients.viewer("/ws", Map.of("Origin", "https://dash.example.org")).next("hello");
        clients.viewer("/ws", Map.of("Origin", "https://dash.example.org:443")).next("hello");
    }

    @Test
    void generatedTokensAreLongRandomAndUrlSafe() {
        String a = AccessPolicy.generateToken();
        String b = AccessPolicy.generateToken();
        assertNotEquals(a, b);
        assertEquals(32, a.length());
        assertTrue(a.matches("[A-Za-z0-9_-]+"), a);
    }

    @Test
    void levelsFollowTheTokenAndPrivacy() {
        AccessPolicy open = new AccessPolicy(null, false);
        AccessPolicy shared = new AccessPolicy(TOKEN, false);
        AccessPolicy closed = new AccessPolicy(TOKEN, true);
        assertEquals(AccessPolicy.Level.CONTROL, open.level(null));
        assertEquals(AccessPolicy.Level.WATCH, shared.level(null));
        assertEquals(AccessPolicy.Level.WATCH, shared.level(TOKEN + "x"));
        assertEquals(AccessPolicy.Level.WATCH, shared.level(TOKEN.substring(1)));
        assertEquals(AccessPolicy.Level.CONTROL, shared.level(TOKEN));
        assertEquals(AccessPolicy.Level.NONE, closed.level(null));
        assertEquals(AccessPolicy.Level.NONE, closed.level("wrong"));
        assertEquals(AccessPolicy.Level.CONTROL, closed.level(TOKEN));
    }
}
