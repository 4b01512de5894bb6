package io.trainscope.server.web;

import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.testing.Specs;
import io.trainscope.testing.TestViewer;
import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.trainscope.testing.TestViewer.assertIterations;
import static io.trainscope.testing.Wait.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The WebSocket side, with real clients on a random port. */
@ExtendWith(VertxExtension.class)
class HttpVerticleTest {

    private Vertx vertx;
    private int port;

    @BeforeEach
    void start(Vertx vertx) {
        this.vertx = vertx;
        // Large point limits: these tests check every single point, so nothing is downsampled.
        ServerConfig config = ServerConfig.defaults().withPort(0).withPoints(1_000_000, 1_000_000).withSlots(1, 0);
        port = Wait.get(Server.start(vertx, config)).port();
    }

    /** Exactly iterations {@code [from, to)}, in order; the message names the first difference, not the list. */
    @Test
    void helloComesFirstWithLimitsAndControl() {
        TestViewer viewer = TestViewer.connect(vertx, port);
        JsonObject hello = viewer.awaitType("hello");
        assertEquals(hello, viewer.received().get(0));
        assertEquals(1, hello.getInteger("protocol"));
        assertTrue(hello.getBoolean("control"));
        assertEquals(1, hello.getJsonObject("limits").getInteger("maxRunning"));
        assertEquals(0, hello.getJsonObject("limits").getInteger("maxQueued"));
        assertTrue(hello.getJsonArray("runs").isEmpty());
    }

    @Test
    void threeViewersSeeIdenticalPoints() {
        TestViewer a = TestViewer.connect(vertx, port);
        TestViewer b = TestViewer.connect(vertx, port);
        TestViewer c = TestViewer.connect(vertx, port);
        for (TestViewer v : List.of(a, b, c)) {
            v.awaitType("hello");
        }
        String run = b.start(Specs.xor(3000, 0));
        for (TestViewer v : List.of(a, b, c)) {
            v.awaitState(run, "finished");
        }
        assertIterations(0, 3000, a.iterations(run));
        assertTrue(a.points(run).equals(b.points(run)), "viewers a and b saw different points");
        assertTrue(a.points(run).equals(c.points(run)), "viewers a and c saw different points");
    }

    @Test
    void lateViewerGetsHistoryFromZeroThenLivePointsWithoutGapOrDuplicate() {
        TestViewer first = TestViewer.connect(vertx, port);
        String run = first.start(Specs.xor(400, 400));
        until(() -> first.iterations(run).size() > 100, "a hundred points");
        TestViewer late = TestViewer.connect(vertx, port);
        JsonObject history = late.await(m -> "history".equals(m.getString("type")));
        assertEquals(0, history.getJsonArray("points").getJsonObject(0).getLong("iteration"));
        assertEquals("join", history.getString("purpose"));
        late.awaitState(run, "finished");
        assertIterations(0, 400, late.iterations(run));
        assertTrue(first.points(run).equals(late.points(run)), "the late viewer saw different points");
    }

    @Test
    void reconnectingViewerResumesAfterItsLastIteration() {
        TestViewer first = TestViewer.connect(vertx, port);
        String run = first.start(Specs.xor(300, 300));
        until(() -> first.iterations(run).size() > 50, "fifty points");
        first.close();
        List<Long> held = first.iterations(run);
        long last = held.get(held.size() - 1);
        TestViewer again = TestViewer.connect(vertx, port, "/ws?after=" + run + ":" + last);
        again.awaitState(run, "finished");
        assertIterations(last + 1, 300, again.iterations(run));
    }

    @Test
    void stopFromOneViewerReachesEveryone() {
        TestViewer a = TestViewer.connect(vertx, port);
        TestViewer b = TestViewer.connect(vertx, port);
        String run = a.start(Specs.xor(1_000_000, 100));
        b.awaitState(run, "running");
        b.send(new JsonObject().put("type", "stop").put("runId", run));
        JsonObject seenByA = a.awaitState(run, "stopped");
        JsonObject seenByB = b.awaitState(run, "stopped");
        assertEquals(seenByA, seenByB);
        long points = seenByA.getLong("iteration");
        until(() -> a.iterations(run).size() == points, "every point before the stop");
        assertIterations(0, points, a.iterations(run));
    }

    @Test
    void pauseStepResume() {
        TestViewer viewer = TestViewer.connect(vertx, port);
        String run = viewer.start(Specs.xor(100_000, 50));
        viewer.send(new JsonObject().put("type", "pause").put("runId", run));
        long paused = viewer.awaitState(run, "paused").getLong("iteration");
        until(() -> viewer.iterations(run).size() == paused, "points up to the pause");
        viewer.send(new JsonObject().put("type", "step").put("runId", run));
        until(() -> viewer.iterations(run).size() == paused + 1, "the stepped point");
        assertEquals(paused, viewer.iterations(run).get((int) paused));
        viewer.await(m -> "state".equals(m.getString("type")) && m.getLong("iteration") == paused + 1);
        assertEquals(List.of(), viewer.ofType("error"));
        viewer.send(new JsonObject().put("type", "resume").put("runId", run));
        viewer.awaitState(run, "running");
        until(() -> viewer.iterations(run).size() > paused + 5, "training again after resume");
        assertIterations(0, viewer.iterations(run).size(), viewer.iterations(run));
    }

    @Test
    void startBeyondTheRunningLimitIsRefused() {
        TestViewer viewer = TestViewer.connect(vertx, port);
        viewer.start(Specs.xor(1_000_000, 10));
        viewer.send(new JsonObject().put("type", "start").put("spec", Specs.xor(10, 0)));
        JsonObject error = viewer.awaitType("error");
        assertEquals("start", error.getString("request"));
        assertTrue(error.getString("message").contains("at most 1 run"), error.getString("message"));
    }

    @Test
    void everyBadMessageIsAnsweredToItsSenderAloneAndTheConnectionCarriesOn() {
        TestViewer sender = TestViewer.connect(vertx, port);
        TestViewer other = TestViewer.connect(vertx, port);
        String run = sender.start(Specs.xor(1_000_000, 20));
        record Bad(String text, String field, String request) {
        }
        List<Bad> bad = List.of(
                new Bad("{not json", null, null),
                new Bad("[1, 2]", null, null),
                new Bad("42", null, null),
                new Bad("{\"runId\": \"x\"}", "type", null),
                new Bad("{\"type\": 7}", "type", null),
                new Bad("{\"type\": \"explode\"}", "type", "explode"),
                new Bad("{\"type\": \"start\"}", "spec", "start"),
                new Bad("{\"type\": \"start\", \"spec\": [1]}", "spec", "start"),
                new Bad("{\"type\": \"start\", \"spec\": {\"layers\": [2, 0, 1], \"learningRate\": 0.1, \"iterations\": 5,"
                        + " \"dataset\": {\"name\": \"xor\"}, \"pace\": -1}}", "pace", "start"),
                new Bad("{\"type\": \"start\", \"spec\": {\"layers\": [2, 0, 1], \"learningRate\": 0.1, \"iterations\": 5,"
                        + " \"dataset\": {\"name\": \"xor\"}}}", "layers[1]", "start"),
                new Bad("{\"type\": \"start\", \"spec\": {\"layers\": [2, 1], \"learningRate\": 0.1, \"iterations\": 5,"
                        + " \"data\": {\"csv\": \"/etc/passwd\"}}}", "data.csv", "start"),
                new Bad("{\"type\": \"stop\"}", "runId", "stop"),
                new Bad("{\"type\": \"pause\", \"runId\": 12}", "runId", "pause"),
                new Bad("{\"type\": \"resume\", \"runId\": \"" + run + "\"}", null, "resume"),
                new Bad("{\"type\": \"step\", \"runId\": \"no-such-run\"}", null, "step"),
                new Bad("{\"type\": \"follow\", \"runId\": \"no-such-run\"}", "runId", "follow"),
                new Bad("{\"type\": \"follow\", \"auto\": \"yes\"}", "auto", "follow"),
                new Bad("{\"type\": \"history\", \"runId\": \"" + run + "\", \"from\": -3}", "from", "history"),
                new Bad("{\"type\": \"history\", \"runId\": \"" + run + "\", \"maxPoints\": 1.5}", "maxPoints", "history"));
        for (Bad message : bad) {
            int before = sender.ofType("error").size();
            sender.send(message.text());
            until(() -> sender.ofType("error").size() > before, "an error for " + message.text());
            JsonObject error = sender.ofType("error").get(before);
            assertFalse(error.getString("message").isBlank(), message.text());
            assertEquals(message.field(), error.getString("field"), message.text() + " -> " + error);
            assertEquals(message.request(), error.getString("request"), message.text() + " -> " + error);
        }
        int before = sender.ofType("error").size();
        Wait.get(sender.socket.writeBinaryMessage(Buffer.buffer("{}")));
        until(() -> sender.ofType("error").size() > before, "an error for a binary frame");
        sender.send("{\"type\": \"history\", \"runId\": \"" + run + "\", \"pad\": \"" + "x".repeat(100_000) + "\"}");
        until(() -> sender.ofType("error").size() > before + 1, "an error for an oversized message");

        sender.send(new JsonObject().put("type", "history").put("runId", run).put("maxPoints", 10));
        JsonObject answer = sender.await(m -> "request".equals(m.getString("purpose")));
        assertTrue(answer.getJsonArray("points").size() <= 10);
        assertEquals(List.of(), other.ofType("error"));
        assertEquals("running", other.ofType("state").get(other.ofType("state").size() - 1).getString("status"));
    }

    @Test
    void viewerCountIsBroadcast() {
        TestViewer a = TestViewer.connect(vertx, port);
        a.awaitType("hello");
        TestViewer b = TestViewer.connect(vertx, port);
        a.await(m -> "viewers".equals(m.getString("type")) && m.getInteger("count") == 2);
        b.close();
        a.await(m -> "viewers".equals(m.getString("type")) && m.getInteger("count") == 1);
    }

    @Test
    void unfollowedRunSendsStatesButNoPoints() {
        TestViewer a = TestViewer.connect(vertx, port);
        String run = a.start(Specs.xor(200, 100));
        TestViewer b = TestViewer.connect(vertx, port);
        b.awaitType("history");
        b.send(new JsonObject().put("type", "unfollow").put("runId", run));
        int held = b.points(run).size();
        b.awaitState(run, "finished");
        assertTrue(b.points(run).size() < 200, "stopped receiving points after unfollow (had " + held + ")");
    }

    @Test
    void aViewerThatCannotKeepUpIsSkippedThenCaughtUpWithoutAGap() {
        // A small receive buffer, so that the server's queue fills instead of the kernel's buffers.
        TestViewer slow = TestViewer.connect(vertx, port, new WebSocketClientOptions().setReceiveBufferSize(4096));
        TestViewer fast = TestViewer.connect(vertx, port);
        slow.awaitType("hello");
        slow.socket.pause();
        // Nine layers: each point carries 18 norms, so 20000 of them are megabytes.
        JsonObject deep = Specs.xor(20_000, 0).put("layers", new JsonArray(List.of(2, 8, 8, 8, 8, 8, 8, 8, 8, 1)));
        String run = fast.start(deep);
        fast.awaitState(run, "finished");
        slow.socket.resume();
        Wait.until(() -> slow.ofType("state").stream().anyMatch(m -> "finished".equals(m.getString("status"))),
                "the slow viewer to read everything", java.time.Duration.ofSeconds(90));
        assertIterations(0, 20_000, slow.iterations(run));
        assertTrue(slow.points(run).equals(fast.points(run)), "the slow viewer saw different points");
        assertTrue(slow.received().stream().anyMatch(m -> "catchUp".equals(m.getString("purpose"))),
                "the slow viewer was skipped and caught up");
    }
}
