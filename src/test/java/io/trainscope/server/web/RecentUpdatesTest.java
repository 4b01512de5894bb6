package io.trainscope.server.web;

import io.trainscope.point.Points;
import io.trainscope.server.bus.MetricsUpdate;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecentUpdatesTest {

    static final int DEPTH = 2;
    /** Iterations per update; each carries its first and last point (downsampled, as live updates are). */
    static final int SPAN = 10;

    private static MetricsUpdate update(long from) {
        Points points = new Points(DEPTH, 2);
        for (long iteration : new long[] {from, from + SPAN - 1}) {
            double[] lanes = new double[points.layout().width()];
            lanes[0] = 1.0 / (1 + iteration);
            points.add(iteration, lanes);
        }
        return new MetricsUpdate("r", from, from + SPAN, points, true, 100, 0);
    }

    private static RecentUpdates kept(int updates) {
        RecentUpdates recent = new RecentUpdates();
        for (int u = 0; u < updates; u++) {
            recent.add(update((long) u * SPAN), 1000 + u);
        }
        return recent;
    }

    private static List<JsonObject> json(List<Buffer> messages) {
        return messages.stream().map(Buffer::toJsonObject).toList();
    }

    @Test
    void aViewerAFewUpdatesBehindIsSentThemAgainAsFirstSent() {
        RecentUpdates recent = kept(40);
        long from = 35L * SPAN;
        List<JsonObject> again = json(recent.since("r", from, "catchUp", Encoding.JSON, 512));
        assertEquals(5, again.size());
        for (int i = 0; i < 5; i++) {
            assertEquals("metrics", again.get(i).getString("type"));
            assertEquals(from + (long) i * SPAN, again.get(i).getLong("from"));
            assertEquals(1035L + i, again.get(i).getLong("time"), "the time it was first sent");
        }
    }

    @Test
    void aViewerFurtherBehindIsSentTheirPointsAsOneHistoryMessageSharedByAllBehindFromThere() {
        RecentUpdates recent = kept(RecentUpdates.KEPT);
        long from = 100L * SPAN;
        List<Buffer> caughtUp = recent.since("r", from, "join", Encoding.JSON, 10_000);
        assertEquals(1, caughtUp.size());
        JsonObject history = caughtUp.get(0).toJsonObject();
        assertEquals("history", history.getString("type"));
        assertEquals("join", history.getString("purpose"));
        assertEquals(from, history.getLong("from"));
        assertEquals(recent.to(), history.getLong("to"));
        assertTrue(history.getBoolean("downsampled"));
        JsonArray points = history.getJsonArray("points");
        assertEquals(2 * (RecentUpdates.KEPT - 100), points.size(), "every point the updates carried");
        for (int p = 0; p < points.size(); p++) {
            long iteration = from + (p / 2) * SPAN + (p % 2) * (SPAN - 1);
            assertEquals(iteration, points.getJsonObject(p).getLong("iteration"));
            assertEquals(1.0 / (1 + iteration), points.getJsonObject(p).getDouble("cost"));
        }
        assertSame(caughtUp.get(0), recent.since("r", from, "join", Encoding.JSON, 10_000).get(0),
                "made once for every viewer behind from there");
        recent.add(update(recent.to()), 0);
        JsonObject after = recent.since("r", from, "join", Encoding.JSON, 10_000).get(0).toJsonObject();
        assertEquals(recent.to(), after.getLong("to"), "a new update: a new message, to its end");
    }

    @Test
    void aCatchUpOfMorePointsThanAllowedIsDownsampledKeepingTheEnds() {
        RecentUpdates recent = kept(RecentUpdates.KEPT);
        JsonObject history = recent.since("r", 0, "catchUp", Encoding.JSON, 64).get(0).toJsonObject();
        JsonArray points = history.getJsonArray("points");
        assertTrue(points.size() <= 64, points.size() + " points");
        assertEquals(0L, points.getJsonObject(0).getLong("iteration"));
        assertEquals(recent.to() - 1, points.getJsonObject(points.size() - 1).getLong("iteration"));
    }

    @Test
    void aViewerBehindFurtherThanTheyReachOrBetweenTwoStartsIsNotServedFromThem() {
        RecentUpdates recent = kept(RecentUpdates.KEPT + 10);
        assertNull(recent.since("r", 0, "catchUp", Encoding.JSON, 512), "the oldest updates gave way");
        assertNull(recent.since("r", 20L * SPAN + 3, "catchUp", Encoding.JSON, 512), "no update starts there");
        // A gap in the updates (the run went on from elsewhere) drops what came before it.
        recent.add(update(recent.to() + SPAN), 0);
        assertNull(recent.since("r", 20L * SPAN, "catchUp", Encoding.JSON, 512));
    }
}
