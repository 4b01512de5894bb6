package io.trainscope.server.web;

import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.access.SecurityConfig;
import io.trainscope.testing.Specs;
import io.trainscope.testing.TestViewer;
import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.trainscope.testing.Wait.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The views (docs/protocol.md, "Views"): a subscriber is sent histograms, boundary and network at the snapshot
 * rate at most, a viewer who did not subscribe none; what a run keeps reaches a late subscriber and a past run's
 * after a restart; a subscribe names known views only.
 */
@ExtendWith(VertxExtension.class)
class ViewSubscriptionsTest {

    private static final String TOKEN = "t";
    private static final JsonArray ALL = new JsonArray().add("histograms").add("boundary").add("network");

    @TempDir
    Path data;

    private static Server start(Vertx vertx, Path dataDir) {
        return Wait.get(Server.start(vertx, ServerConfig.defaults().withPort(0).withToken(TOKEN).withDataDir(dataDir)));
    }

    private static JsonObject subscribe(String runId, JsonArray views) {
        return new JsonObject().put("type", "subscribe").put("runId", runId).put("views", views);
    }

    private static List<JsonObject> of(TestViewer viewer, String type, String runId) {
        return viewer.ofType(type).stream().filter(m -> runId.equals(m.getString("runId"))).toList();
    }

    private static void assertShapes(JsonObject histograms, JsonObject boundary, JsonObject network) {
        JsonArray layers = histograms.getJsonArray("layers");
        assertEquals(2, layers.size(), "one entry per weight layer of [2, 8, 1]");
        for (int l = 0; l < 2; l++) {
            for (String kind : List.of("weights", "gradients", "activations")) {
                JsonObject h = layers.getJsonObject(l).getJsonObject(kind);
                assertEquals(33, h.getJsonArray("edges").size(), kind);
                assertEquals(32, h.getJsonArray("counts").size(), kind);
            }
        }
        long weights = layers.getJsonObject(0).getJsonObject("weights").getJsonArray("counts").stream()
                .mapToLong(c -> ((Number) c).longValue()).sum();
        assertEquals(16, weights, "every weight of W1 counted once");

        assertEquals(new JsonArray().add(64).add(64), boundary.getJsonArray("size"));
        assertEquals(4096, boundary.getJsonArray("values").size());
        assertTrue(boundary.getJsonArray("x").getDouble(0) < boundary.getJsonArray("x").getDouble(1));
        assertTrue(boundary.getJsonArray("values").stream().allMatch(v -> ((Number) v).doubleValue() >= 0
                && ((Number) v).doubleValue() <= 1), "outputs in [0, 1]");

        JsonArray net = network.getJsonArray("layers");
        assertEquals(2, net.size());
        assertEquals(8, net.getJsonObject(0).getJsonArray("W").size());
        assertEquals(2, net.getJsonObject(0).getJsonArray("W").getJsonArray(0).size());
        assertEquals(8, net.getJsonObject(0).getJsonArray("b").size());
        assertEquals(1, net.getJsonObject(1).getJsonArray("W").size());
    }

    @Test
    void aSubscriberGetsEachViewAtTheBoundedRateAndOthersGetNone(Vertx vertx) throws InterruptedException {
        Server server = start(vertx, null);
        TestViewer controller = TestViewer.connect(vertx, server.port(), "/ws?token=" + TOKEN);
        TestViewer bystander = TestViewer.connect(vertx, server.port());
        TestViewer watcher = TestViewer.connect(vertx, server.port());
        TestViewer second = TestViewer.connect(vertx, server.port());
        controller.awaitType("hello");
        String run = controller.start(Specs.xor(100_000_000, 0));
        watcher.awaitType("hello");
        watcher.send(subscribe(run, ALL));
        second.awaitType("hello");
        second.send(subscribe(run, ALL));
        long started = System.nanoTime();
        Thread.sleep(2000);
        int[] counts = new int[3];
        List<String> types = List.of("histograms", "boundary", "network");
        for (int v = 0; v < 3; v++) {
            counts[v] = of(watcher, types.get(v), run).size();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        for (int v = 0; v < 3; v++) {
            int n = counts[v];
            assertTrue(n >= 2, types.get(v) + ": " + n + " in " + seconds + " s");
            // The default rate is 4 a second per view; one more for the snapshot sent when it was first wanted.
            assertTrue(n <= Math.ceil(seconds * ServerConfig.DEFAULT_SNAPSHOT_RATE) + 2,
                    types.get(v) + ": " + n + " in " + seconds + " s, over the bounded rate");
            assertTrue(of(bystander, types.get(v), run).isEmpty(), "a viewer who did not subscribe gets no " + types.get(v));
        }
        assertShapes(of(watcher, "histograms", run).get(0), of(watcher, "boundary", run).get(0),
                of(watcher, "network", run).get(0));
        assertEquals(1, of(watcher, "data", run).size(), "the examples come once, with the boundary");
        assertEquals(2, of(watcher, "data", run).get(0).getJsonObject("train").getJsonArray("points").size()
                / of(watcher, "data", run).get(0).getJsonObject("train").getJsonArray("labels").size());
        assertTrue(of(bystander, "data", run).isEmpty());

        // One snapshot per interval for every viewer: both subscribers see the same iterations.
        Set<Long> first = new HashSet<>();
        of(watcher, "boundary", run).forEach(m -> first.add(m.getLong("iteration")));
        List<JsonObject> theirs = of(second, "boundary", run);
        for (JsonObject m : theirs.subList(1, theirs.size() - 1)) {
            assertTrue(first.contains(m.getLong("iteration")), "the same snapshot for both: " + m.getLong("iteration"));
        }

        watcher.send(new JsonObject().put("type", "unsubscribe").put("runId", run).put("views", ALL));
        Thread.sleep(300);
        int after = of(watcher, "boundary", run).size();
        Thread.sleep(800);
        assertEquals(after, of(watcher, "boundary", run).size(), "no more after an unsubscribe");
        assertTrue(of(second, "boundary", run).size() > theirs.size(), "the other subscriber goes on");
    }

    @Test
    void aSubscribeNamesKnownViewsOfAKnownRun(Vertx vertx) {
        Server server = start(vertx, null);
        TestViewer controller = TestViewer.connect(vertx, server.port(), "/ws?token=" + TOKEN);
        controller.awaitType("hello");
        String run = controller.start(Specs.xor(100, 50));
        TestViewer viewer = TestViewer.connect(vertx, server.port());
        viewer.awaitType("hello");
        JsonObject unknown = viewer.refused(subscribe(run, new JsonArray().add("boundary").add("weather")).encode());
        assertEquals("views", unknown.getString("field"));
        assertEquals("subscribe", unknown.getString("request"));
        assertTrue(unknown.getString("message").contains("\"weather\""), unknown::encode);
        assertTrue(unknown.getString("message").contains("histograms, boundary, network"), unknown::encode);
        JsonObject none = viewer.refused(new JsonObject().put("type", "subscribe").put("runId", run).encode());
        assertEquals("views", none.getString("field"));
        JsonObject noRun = viewer.refused(subscribe("nope", ALL).encode());
        assertEquals("runId", noRun.getString("field"));
        JsonObject bad = viewer.refused(new JsonObject().put("type", "unsubscribe").put("runId", run)
                .put("views", new JsonArray().add(3)).encode());
        assertTrue(bad.getString("message").contains("unknown view 3"), bad::encode);
    }

    @Test
    void aPausedRunAndALateViewerGetTheLatestAndTheKeptHistograms(Vertx vertx) {
        Server server = start(vertx, null);
        TestViewer controller = TestViewer.connect(vertx, server.port(), "/ws?token=" + TOKEN);
        controller.awaitType("hello");
        String run = controller.start(Specs.xor(100_000_000, 0));
        until(() -> controller.lastIteration(run) > 2000, "some training");
        controller.send(new JsonObject().put("type", "pause").put("runId", run));
        JsonObject paused = controller.awaitState(run, "paused");
        long at = paused.getLong("iteration");

        TestViewer late = TestViewer.connect(vertx, server.port());
        late.awaitType("hello");
        late.send(subscribe(run, ALL));
        JsonObject kept = late.awaitType("keptHistograms");
        assertTrue(kept.getJsonArray("snapshots").size() >= 2, "kept while it trained, watched or not: " + kept.encode());
        assertEquals(0, kept.getJsonArray("snapshots").getJsonObject(0).getLong("iteration"), "from its start");
        JsonObject boundary = late.awaitType("boundary");
        assertEquals(at, boundary.getLong("iteration"), "a paused run's views are computed where it stands");
        assertEquals(at, late.awaitType("network").getLong("iteration"));
        assertEquals(at, late.awaitType("histograms").getLong("iteration"));
        assertShapes(late.awaitType("histograms"), boundary, late.awaitType("network"));
    }

    @Test
    void aPastRunAnswersASubscribeAfterARestartWithWhatItKept(Vertx vertx) throws Exception {
        Server first = start(vertx, data);
        TestViewer controller = TestViewer.connect(vertx, first.port(), "/ws?token=" + TOKEN);
        controller.awaitType("hello");
        String run = controller.start(Specs.xor(3000, 0));
        controller.awaitState(run, "finished");
        assertTrue(Files.size(data.resolve("runs").resolve(run).resolve("histograms.jsonl")) > 0);
        controller.close();
        Wait.get(first.stop());

        Server second = start(vertx, data);
        TestViewer viewer = TestViewer.connect(vertx, second.port());
        viewer.awaitType("hello");
        viewer.send(subscribe(run, ALL));
        JsonObject kept = viewer.awaitType("keptHistograms");
        JsonArray snapshots = kept.getJsonArray("snapshots");
        assertTrue(snapshots.size() >= 2, "histograms over time, not only the last: " + snapshots.size());
        assertEquals(0, snapshots.getJsonObject(0).getLong("iteration"));
        assertEquals(3000, snapshots.getJsonObject(snapshots.size() - 1).getLong("iteration"), "and its last");
        JsonObject boundary = viewer.awaitType("boundary");
        JsonObject network = viewer.awaitType("network");
        assertEquals(3000, boundary.getLong("iteration"));
        assertEquals(3000, network.getLong("iteration"));
        JsonObject last = snapshots.getJsonObject(snapshots.size() - 1).copy().put("type", "histograms");
        assertShapes(last, boundary, network);
        assertEquals(64, viewer.awaitType("data").getJsonObject("train").getJsonArray("labels").size());
    }

    /** Without the token the socket itself is refused (401: AccessRulesTest), so no subscribe gets through. */
    @Test
    void aPrivateServerLetsATokenHolderSubscribe(Vertx vertx) {
        Server server = Wait.get(Server.start(vertx, ServerConfig.defaults().withPort(0).withToken(TOKEN),
                SecurityConfig.DEFAULT.withPrivate(true), new ServerMetrics()));
        TestViewer member = TestViewer.connect(vertx, server.port(), "/ws?token=" + TOKEN);
        member.awaitType("hello");
        String run = member.start(Specs.xor(100_000, 0));
        member.send(subscribe(run, new JsonArray().add("network")));
        assertNull(member.awaitType("network").getValue("units"), "[2, 8, 1] is sent whole");
    }
}
