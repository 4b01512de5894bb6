package io.trainscope.server.access;

import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.ServerMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.Map;

import static io.trainscope.server.access.Clients.await;
import static io.trainscope.server.access.Clients.bearer;
import static io.trainscope.server.access.Clients.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A server under attack and what must come through it (issue 8): a finished run stored on disk, a live run,
 * and a viewer watching it. {@link #assertIntact()} after an attack: {@code /health} answers, the viewer still
 * streams, and the stored run reads back unchanged.
 */
final class Scene {

    final Server server;
    final Clients clients;
    final String finished;
    final String live;
    final Clients.Viewer watcher;
    /** What a client with the token (any client, with none) presents. */
    final Map<String, String> auth;
    private final String finishedPoints;

    private Scene(Server server, Clients clients, String finished, String live, Clients.Viewer watcher,
                  Map<String, String> auth, String finishedPoints) {
        this.server = server;
        this.auth = auth;
        this.clients = clients;
        this.finished = finished;
        this.live = live;
        this.watcher = watcher;
        this.finishedPoints = finishedPoints;
    }

    /** A server with {@code token} (null for none) keeping its runs under {@code data}. */
    static Scene start(Vertx vertx, Path data, String token, SecurityConfig security) throws InterruptedException {
        return start(vertx, ServerConfig.defaults().withPort(0).withToken(token).withDataDir(data).withMaxRunning(2),
                security);
    }

    static Scene start(Vertx vertx, ServerConfig config, SecurityConfig security) throws InterruptedException {
        return start(vertx, config, security, new ServerMetrics());
    }

    /** With {@code metrics}, the registry that {@code vertx} was built with (ServerMetrics.vertx), as serve does. */
    static Scene start(Vertx vertx, ServerConfig config, SecurityConfig security, ServerMetrics metrics)
            throws InterruptedException {
        Server server = await(Server.start(vertx, config, security, metrics));
        Clients clients = new Clients(vertx, server.port(), security.tls() != null);
        Map<String, String> auth = config.token() == null ? Map.of() : bearer(config.token());
        Clients.Reply started = clients.post("/api/runs", auth, spec(300, 0));
        assertEquals(201, started.status(), started.body()::toString);
        String finished = started.json().getString("id");
        long deadline = System.nanoTime() + Clients.WAIT.toNanos();
        while (!"finished".equals(clients.get("/api/runs/" + finished, auth).json().getString("status"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the first run did not finish: " + clients.get("/api/runs/" + finished, auth).body());
            }
            Thread.sleep(20);
        }
        String points = clients.get("/api/runs/" + finished + "/metrics", auth).body().toString();
        assertEquals(300, points.lines().count());
        Clients.Reply live = clients.post("/api/runs", auth, spec(100_000_000, 40));
        assertEquals(201, live.status(), live.body()::toString);
        String liveId = live.json().getString("id");
        Clients.Viewer watcher = clients.viewer(config.token() == null || !security.privateMode() ? "/ws"
                : "/ws?token=" + config.token());
        watcher.next("hello");
        nextPointsOf(watcher, liveId);
        return new Scene(server, clients, finished, liveId, watcher, auth, points);
    }

    /** After an attack: the server answers, the watcher still streams, the stored run is unchanged. */
    void assertIntact() {
        assertEquals(200, clients.get("/health", Map.of()).status(), "/health answers");
        watcher.received.clear();
        nextPointsOf(watcher, live);
        JsonObject run = clients.get("/api/runs/" + finished, auth).json();
        assertEquals("finished", run.getString("status"), run::encode);
        assertEquals(finishedPoints, clients.get("/api/runs/" + finished + "/metrics", auth).body().toString(),
                "the stored run reads back unchanged");
    }

    private static void nextPointsOf(Clients.Viewer viewer, String runId) {
        long deadline = System.nanoTime() + Clients.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject message = viewer.next("metrics");
            if (runId.equals(message.getString("runId")) && !message.getJsonArray("points").isEmpty()) {
                return;
            }
        }
        throw new AssertionError("the watcher got no more points of " + runId);
    }
}
