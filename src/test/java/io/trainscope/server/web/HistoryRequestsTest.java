package io.trainscope.server.web;

import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lanes of history reads, driven as a thousand joining viewers drive them: reads that finish at once (a shared
 * join), each answer bringing the next read of a catch-up. A read can complete before its handler is set, so that
 * the handler runs inside the loop that started it; every answer must still arrive, in each viewer's order, with no
 * error on the event loop (a thousand viewers once met a ConcurrentModificationException there, and their joins
 * stopped).
 */
@ExtendWith(VertxExtension.class)
class HistoryRequestsTest {

    static final int VIEWERS = 300;
    static final int READS_EACH = 20;

    @Test
    void readsThatFinishAtOnceAreAllDeliveredInOrder(Vertx vertx) {
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        vertx.exceptionHandler(errors::add);
        HistoryRequests.Sink sink = new HistoryRequests.Sink() {
            @Override
            public boolean connected(Viewer viewer) {
                return true;
            }

            @Override
            public boolean full(Viewer viewer) {
                return false;
            }

            @Override
            public void write(Viewer viewer, Buffer message) {
            }
        };
        List<List<Integer>> answers = new ArrayList<>();
        AtomicInteger delivered = new AtomicInteger();
        vertx.runOnContext(v -> {
            HistoryRequests requests = new HistoryRequests(vertx, sink, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4);
            for (int i = 0; i < VIEWERS; i++) {
                Viewer viewer = new Viewer(null, false, Encoding.BINARY, requests.lane());
                List<Integer> got = new ArrayList<>();
                answers.add(got);
                chain(requests, viewer, got, 0, delivered);
            }
        });
        Wait.until(() -> delivered.get() == VIEWERS * READS_EACH || !errors.isEmpty(),
                "every answer, or an error", Duration.ofSeconds(60));
        assertTrue(errors.isEmpty(), () -> "errors on the event loop: " + errors);
        for (List<Integer> got : answers) {
            assertEquals(READS_EACH, got.size());
            for (int n = 0; n < READS_EACH; n++) {
                assertEquals(n, got.get(n));
            }
        }
    }

    /** Read {@code n} of a viewer's catch-up; its answer queues read n + 1, as a catch-up does. */
    private static void chain(HistoryRequests requests, Viewer viewer, List<Integer> got, int n,
                              AtomicInteger delivered) {
        Buffer answer = Buffer.buffer(Integer.toString(n));
        requests.catchUp(viewer, () -> answer, a -> {
            got.add(Integer.parseInt(a.toString()));
            delivered.incrementAndGet();
            if (n + 1 < READS_EACH) {
                chain(requests, viewer, got, n + 1, delivered);
            }
        });
    }
}
