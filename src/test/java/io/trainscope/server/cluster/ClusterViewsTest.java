package io.trainscope.server.cluster;

import io.trainscope.server.Server;
import io.trainscope.testing.Specs;
import io.trainscope.testing.TestViewer;
import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The views inside a run (issue 10) across nodes: viewers of two dashboards subscribe to a run trained on a third,
 * get its snapshots and what it keeps, and once they all unsubscribe the training node sends (and computes) none;
 * a gradient check asked on a dashboard answers with the training node's report.
 */
class ClusterViewsTest {

    private static final JsonArray ALL = new JsonArray().add("histograms").add("boundary").add("network");

    private final TestCluster cluster = new TestCluster();
    private final Vertx client = Vertx.vertx();

    @AfterEach
    void close() {
        client.close();
        cluster.close();
    }

    private static JsonObject message(String type, String runId, JsonArray views) {
        return new JsonObject().put("type", type).put("runId", runId).put("views", views);
    }

    private static List<JsonObject> of(TestViewer viewer, String type, String runId) {
        return viewer.ofType(type).stream().filter(m -> runId.equals(m.getString("runId"))).toList();
    }

    private static Set<Long> iterations(List<JsonObject> snapshots) {
        Set<Long> seen = new HashSet<>();
        snapshots.forEach(m -> seen.add(m.getLong("iteration")));
        return seen;
    }

    @Test
    void viewsOfARunTrainedElsewhereReachEachDashboardsViewersOnlyWhileWanted() throws Exception {
        Server trainer = cluster.node(true, false);
        Server b = cluster.node(false, true);
        Server c = cluster.node(false, true);
        Thread.sleep(2 * ClusterVerticle.HEARTBEAT_MS + 500);
        TestViewer watcher = TestViewer.connect(client, b.port());
        TestViewer second = TestViewer.connect(client, b.port());
        TestViewer other = TestViewer.connect(client, c.port());
        watcher.awaitType("hello");
        String id = watcher.start(Specs.xor(100_000_000, 0));
        assertTrue(trainer.runs().find(id) != null, "placed on the trainer node");
        Wait.until(() -> c.cluster().view().find(id) != null && b.cluster().view().find(id) != null,
                "the run on both dashboards");
        second.awaitType("hello");
        other.awaitType("hello");

        watcher.send(message("subscribe", id, ALL));
        second.send(message("subscribe", id, ALL));
        other.send(message("subscribe", id, new JsonArray().add("histograms")));
        for (String view : List.of("histograms", "boundary", "network")) {
            Wait.until(() -> of(watcher, view, id).size() >= 3 && of(second, view, id).size() >= 3,
                    view + " snapshots of the remote run on both of B's viewers");
        }
        Wait.until(() -> of(other, "histograms", id).size() >= 3, "histograms on C's viewer");
        assertTrue(of(other, "boundary", id).isEmpty(), "C's viewer subscribed to histograms only");

        // What the run keeps, from its node: its examples (for the boundary) and its histograms over time.
        assertEquals(1, of(watcher, "data", id).size(), "the examples once: " + watcher.ofType("error"));
        assertEquals(2, of(watcher, "data", id).get(0).getJsonObject("train").getJsonArray("points").size()
                / of(watcher, "data", id).get(0).getJsonObject("train").getJsonArray("labels").size());
        assertEquals(1, of(watcher, "keptHistograms", id).size());
        JsonObject histograms = of(watcher, "histograms", id).get(0);
        assertEquals(2, histograms.getJsonArray("layers").size(), "one entry per weight layer of [2, 8, 1]");
        assertEquals(33, histograms.getJsonArray("layers").getJsonObject(0).getJsonObject("weights")
                .getJsonArray("edges").size());
        JsonObject boundary = of(watcher, "boundary", id).get(0);
        assertEquals(4096, boundary.getJsonArray("values").size());
        assertEquals(8, of(watcher, "network", id).get(0).getJsonArray("layers").getJsonObject(0).getJsonArray("W").size());

        // One snapshot per interval for every viewer of every node: the same iterations everywhere.
        Set<Long> mine = iterations(of(watcher, "histograms", id));
        List<JsonObject> theirs = of(other, "histograms", id);
        for (JsonObject m : theirs.subList(1, theirs.size() - 1)) {
            assertTrue(mine.contains(m.getLong("iteration")), "the same snapshot on C: " + m.getLong("iteration")
                    + " not in " + mine);
        }

        // All unsubscribe: no more snapshots, and nothing more leaves the training node.
        watcher.send(message("unsubscribe", id, ALL));
        second.send(message("unsubscribe", id, ALL));
        other.send(message("unsubscribe", id, ALL));
        Thread.sleep(500);
        long sent = trainer.cluster().viewBytesSent();
        int seen = of(watcher, "boundary", id).size() + of(other, "histograms", id).size();
        Thread.sleep(1000);
        assertEquals(sent, trainer.cluster().viewBytesSent(), "the training node sends no snapshot nobody wants");
        assertEquals(seen, of(watcher, "boundary", id).size() + of(other, "histograms", id).size(), "none after unsubscribing");

        // A gradient check asked on B is made on the training node, and its report comes back.
        watcher.send(new JsonObject().put("type", "gradientCheck").put("runId", id));
        Wait.until(() -> !watcher.ofType("gradientCheck").isEmpty() || !watcher.ofType("error").isEmpty(),
                "the gradient check's report");
        assertTrue(watcher.ofType("error").isEmpty(), watcher.ofType("error").toString());
        JsonObject report = watcher.awaitType("gradientCheck");
        assertEquals(id, report.getString("runId"), report.encode());
        assertTrue(report.getDouble("maxRelativeError") < 1e-4, report.encode());
        assertFalse(report.getJsonArray("layers").isEmpty(), report.encode());
    }
}
