package io.trainscope.server.access;

import io.trainscope.server.Server;
import io.trainscope.testing.TestClock;
import io.trainscope.testing.TestViewer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;

import static io.trainscope.server.access.Clients.await;
import static io.trainscope.server.access.Clients.bearer;
import static io.trainscope.server.access.Clients.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of malformed, oversized, deeply nested, wrongly typed and out-of-bound messages over many
 * connections, on loopback, while a run trains. Afterwards the server still answers, the run finished with every
 * point in place, and the heap is back near where it started. Prints what was sent, by kind, and the heap.
 */
@ExtendWith(VertxExtension.class)
class HostileInputTest {

    static final String TOKEN = "hostile-test-token";
    static final int CONNECTIONS = 40;
    static final int ROUNDS = 3;
    static final long RUN_ITERATIONS = 2000;
    /** Heap allowed to remain in use after the attack, over what was in use before it. */
    static final long HEAP_SLACK_BYTES = 64L << 20;

    /** One kind of hostile message: its name and how to make one. */
    record Kind(String name, Function<SplittableRandom, String> make) {
    }

    private final Map<String, Integer> sent = new TreeMap<>();

    @Test
    void theServerSurvivesAndTheRunIsIntact(Vertx vertx) throws InterruptedException {
        // The message rate's buckets refill by this clock, advanced between rounds instead of waiting for them.
        TestClock clock = new TestClock();
        Server server = Clients.start(vertx, TOKEN, SecurityConfig.DEFAULT.withClock(clock));
        Clients clients = new Clients(vertx, server.port(), false);
        Clients.Reply started = clients.post("/api/runs", bearer(TOKEN), spec(RUN_ITERATIONS, 300));
        assertEquals(201, started.status(), started.body()::toString);
        String runId = started.json().getString("id");
        warmUp(clients);
        long heapBefore = settledHeap();

        List<Kind> kinds = kinds(runId);
        SplittableRandom random = new SplittableRandom(5);
        List<TestViewer> viewers = new ArrayList<>();
        int[] expectedErrors = new int[CONNECTIONS];
        for (int c = 0; c < CONNECTIONS; c++) {
            // Every fourth connection holds the token: its bad starts reach the spec parser.
            viewers.add(clients.viewer(c % 4 == 0 ? "/ws?token=" + TOKEN : "/ws"));
        }
        for (int round = 0; round < ROUNDS; round++) {
            List<Future<Void>> writes = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                for (int m = 0; m < Limits.DEFAULT_MESSAGE_BURST; m++) {
                    Kind kind = kinds.get(random.nextInt(kinds.size()));
                    sent.merge(kind.name(), 1, Integer::sum);
                    String text = kind.make().apply(random);
                    writes.add(kind.name().equals("binary")
                            ? viewers.get(c).socket.writeBinaryMessage(Buffer.buffer(text))
                            : viewers.get(c).socket.writeTextMessage(text));
                    expectedErrors[c]++;
                }
            }
            await(Future.join(writes));
            // The buckets refill (20 a second) so that the next round is answered, not rate-limited away.
            clock.advance(Duration.ofSeconds(2));
        }
        floodsAndOversizedFrames(clients);

        for (int c = 0; c < CONNECTIONS; c++) {
            for (int e = 0; e < expectedErrors[c]; e++) {
                viewers.get(c).next("error");
            }
        }
        int total = sent.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("hostile input: " + total + " messages " + sent + " over " + CONNECTIONS
                + " connections, each answered with an error; plus 5 floods of 400, 5 frames of 100 KB, "
                + "5 messages of 80 KB");

        JsonObject hello = clients.viewer("/ws").next("hello");
        assertTrue(hello.getJsonArray("runs").stream().anyMatch(r -> runId.equals(((JsonObject) r).getString("id"))));
        assertEquals(200, clients.get("/health", Map.of()).status());
        JsonObject run = waitUntilEnded(clients, runId);
        assertEquals("finished", run.getString("status"), run::encode);
        assertEquals(RUN_ITERATIONS, run.getLong("iteration"));
        String[] lines = clients.get("/api/runs/" + runId + "/metrics", Map.of()).body().toString().split("\n");
        assertEquals(RUN_ITERATIONS, lines.length, "every point of the run is kept");
        for (int i = 0; i < lines.length; i++) {
            assertEquals(i, new JsonObject(lines[i]).getLong("iteration"));
        }

        clients.closeSockets();
        // What the test's own viewers received is not the server's: let it go before measuring.
        viewers.forEach(TestViewer::forget);
        long heapAfter = settledHeap();
        System.out.printf("hostile input: heap in use after GC %.1f MB before, %.1f MB after%n",
                heapBefore / 1e6, heapAfter / 1e6);
        assertTrue(heapAfter < heapBefore + HEAP_SLACK_BYTES,
                "heap " + heapBefore / 1e6 + " MB before, " + heapAfter / 1e6 + " MB after");
    }

    /** Abusers: floods that get the connection closed, frames over the limit, messages over the limit. */
    private void floodsAndOversizedFrames(Clients clients) {
        List<TestViewer> floods = new ArrayList<>();
        for (int f = 0; f < 5; f++) {
            TestViewer flood = clients.viewer("/ws");
            for (int m = 0; m < 400; m++) {
                flood.socket.writeTextMessage("{\"type\": \"history\", \"runId\": \"flood\"}");
            }
            floods.add(flood);
        }
        for (TestViewer flood : floods) {
            assertEquals((short) 1008, flood.awaitClose(), "a flood is disconnected");
        }
        String big = "{\"type\": \"start\", \"spec\": \"" + "b".repeat(100_000) + "\"}";
        for (int f = 0; f < 5; f++) {
            TestViewer oversized = clients.viewer(clients.socketClient(1 << 20), "/ws", Map.of());
            oversized.socket.writeFrame(WebSocketFrame.textFrame(big, true));
            oversized.awaitClose();
        }
        for (int f = 0; f < 5; f++) {
            TestViewer fragmented = clients.viewer("/ws");
            fragmented.socket.writeTextMessage("{\"pad\": \"" + "f".repeat(80_000) + "\"}");
            assertTrue(fragmented.next("error").getString("message").contains("max message size"));
            fragmented.close();
        }
    }

    private static List<Kind> kinds(String runId) {
        List<Kind> kinds = new ArrayList<>();
        kinds.add(new Kind("malformed", r -> {
            String valid = "{\"type\": \"history\", \"runId\": \"" + runId + "\", \"from\": 0}";
            return valid.substring(0, 1 + r.nextInt(valid.length() - 1));
        }));
        kinds.add(new Kind("garbage", r -> {
            StringBuilder text = new StringBuilder();
            int n = 1 + r.nextInt(200);
            for (int i = 0; i < n; i++) {
                text.append((char) r.nextInt(1, 0xD7FF));
            }
            return text.toString();
        }));
        kinds.add(new Kind("nested", r -> {
            int depth = 1000 + r.nextInt(20_000);
            return "[".repeat(depth) + "]".repeat(depth);
        }));
        kinds.add(new Kind("nestedSpec", r -> {
            int depth = 1000 + r.nextInt(5000);
            return "{\"type\": \"start\", \"spec\": " + "{\"a\": ".repeat(depth) + "1" + "}".repeat(depth) + "}";
        }));
        kinds.add(new Kind("wrongType", r -> switch (r.nextInt(8)) {
            case 0 -> "{\"type\": 5}";
            case 1 -> "{\"type\": \"stop\", \"runId\": 12}";
            case 2 -> "{\"type\": \"history\", \"runId\": \"" + runId + "\", \"from\": \"a\"}";
            case 3 -> "{\"type\": \"follow\", \"auto\": \"yes\"}";
            case 4 -> "{\"type\": \"start\", \"spec\": [1, 2]}";
            case 5 -> "{\"type\": \"start\", \"spec\": {\"layers\": \"abc\", \"learningRate\": 0.1, \"iterations\": 5}}";
            case 6 -> "[\"type\", \"start\"]";
            default -> "\"just a string\"";
        }));
        kinds.add(new Kind("outOfBound", r -> switch (r.nextInt(7)) {
            case 0 -> "{\"type\": \"start\", \"spec\": {\"layers\": [2, 100000000, 1], \"learningRate\": 0.1, "
                    + "\"iterations\": 10, \"dataset\": {\"name\": \"xor\"}}}";
            case 1 -> "{\"type\": \"start\", \"spec\": {\"layers\": [2, 8, 1], \"learningRate\": 0.1, "
                    + "\"iterations\": 1000000000000000000, \"dataset\": {\"name\": \"xor\"}}}";
            case 2 -> "{\"type\": \"start\", \"spec\": {\"layers\": [2, 8, 1], \"learningRate\": 1e400, "
                    + "\"iterations\": 10, \"dataset\": {\"name\": \"xor\", \"samples\": 1000000000000}}}";
            case 3 -> "{\"type\": \"start\", \"spec\": {\"layers\": [" + "4096, ".repeat(200) + "1], "
                    + "\"learningRate\": 0.1, \"iterations\": 10, \"dataset\": {\"name\": \"gaussian\", \"features\": 4096}}}";
            case 4 -> "{\"type\": \"history\", \"runId\": \"" + runId + "\", \"from\": -5}";
            case 5 -> "{\"type\": \"history\", \"runId\": \"" + runId + "\", \"maxPoints\": 1000000000}";
            default -> "{\"type\": \"history\", \"runId\": \"" + runId + "\", \"from\": 99999999999999999999999}";
        }));
        kinds.add(new Kind("unknownType", r -> "{\"type\": \"rm -rf " + r.nextInt() + "\"}"));
        // Control on a read-only connection, or (with the token) for a run that does not exist.
        kinds.add(new Kind("badControl", r -> "{\"type\": \"" + List.of("stop", "pause", "step", "resume")
                .get(r.nextInt(4)) + "\", \"runId\": \"no-such-" + r.nextInt(1000) + "\"}"));
        kinds.add(new Kind("binary", r -> "\u0000\u0001binary"));
        return kinds;
    }

    /** Loads the classes and JIT paths the attack uses, so that the heap before is not flattered. */
    private static void warmUp(Clients clients) {
        TestViewer viewer = clients.viewer("/ws");
        viewer.next("hello");
        viewer.refused("{");
        viewer.close();
        viewer.awaitClose();
    }

    private static long settledHeap() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(300);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static JsonObject waitUntilEnded(Clients clients, String runId) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            JsonObject run = clients.get("/api/runs/" + runId, Map.of()).json();
            String status = run.getString("status");
            if (!status.equals("running") && !status.equals("paused") || System.nanoTime() > deadline) {
                return run;
            }
            Thread.sleep(200);
        }
    }
}
