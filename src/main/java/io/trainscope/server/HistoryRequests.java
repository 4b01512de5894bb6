package io.trainscope.server;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Histories read and encoded off the event loop (a past run's, a zoom's), within bounds, so that viewers cannot
 * make the server send more than they read or spend its CPU on them: 50 read-only viewers asking for a long run's
 * whole history at the allowed message rate once made it send 741 MB in 10 s at 181% CPU. Per viewer: at most
 * {@link #MAX_WAITING} requests wait (more are refused), one is read at a time, and its answer is written only
 * once the socket has room (held, one at most, until it drains). All viewers together have {@link #MAX_READS}
 * reads at a time, taking turns. What a viewer asks for itself ({@code history}, {@code follow}) is also
 * <em>charged</em>: it keeps to the viewer's byte budget and to a budget shared by all viewers. The history a
 * viewer is sent on connecting is not charged: it is one per connection, and connections are bounded. The HTTP
 * verticle's event loop only.
 */
final class HistoryRequests {

    static final int MAX_WAITING = 16;
    static final int MAX_READS = 2;
    /** Budgets allow bursts of this many seconds' worth. */
    static final double BURST_SECONDS = 2;

    /** A read waiting in a viewer's lane, and whether its bytes count against the budgets. */
    private record Request(Callable<Buffer> read, boolean charged) {
    }

    /** One viewer's requests. */
    static final class Lane {
        private final ArrayDeque<Request> waiting = new ArrayDeque<>();
        private final ByteBudget budget;
        private boolean reading;
        private Buffer unsent;
        private long timer = -1;

        Lane(long bytesPerSecond) {
            this.budget = new ByteBudget(bytesPerSecond, BURST_SECONDS, System.nanoTime());
        }
    }

    /** Where an answer goes: the viewer's socket, and whether it can take more now. */
    interface Sink {
        boolean connected(Viewer viewer);

        boolean full(Viewer viewer);

        void write(Viewer viewer, Buffer message);
    }

    private final Vertx vertx;
    private final Sink sink;
    private final long perViewer;
    private final ByteBudget total;
    /** Viewers with a request ready to read, waiting for a read slot or the shared budget, in turn. */
    private final Set<Viewer> queue = new LinkedHashSet<>();
    private int reads;
    private long totalTimer = -1;

    HistoryRequests(Vertx vertx, Sink sink, long perViewerBytesPerSecond, long totalBytesPerSecond) {
        this.vertx = vertx;
        this.sink = sink;
        this.perViewer = perViewerBytesPerSecond;
        this.total = new ByteBudget(totalBytesPerSecond, BURST_SECONDS, System.nanoTime());
    }

    Lane lane() {
        return new Lane(perViewer);
    }

    /**
     * Queues {@code read} (which encodes the answer, on a worker) for {@code viewer}, {@code charged} to its budgets
     * when the viewer asked for it; false, having queued nothing, when it already has {@link #MAX_WAITING} waiting.
     */
    boolean submit(Viewer viewer, Callable<Buffer> read, boolean charged) {
        Lane lane = viewer.history;
        if (lane.waiting.size() >= MAX_WAITING) {
            return false;
        }
        lane.waiting.add(new Request(read, charged));
        pump(viewer);
        return true;
    }

    /** Bytes sent to {@code viewer} outside this queue (a live run's join history): they count against its budget. */
    void charge(Viewer viewer, long bytes) {
        long now = System.nanoTime();
        viewer.history.budget.spend(bytes, now);
        total.spend(bytes, now);
    }

    /** Milliseconds before {@code viewer} may be sent more history. */
    long waitMillis(Viewer viewer) {
        long now = System.nanoTime();
        return Math.max(viewer.history.budget.waitMillis(now), total.waitMillis(now));
    }

    /** The viewer's socket drained: its held answer goes out, and its next request may start. */
    void drained(Viewer viewer) {
        Lane lane = viewer.history;
        if (lane.unsent != null) {
            Buffer held = lane.unsent;
            lane.unsent = null;
            sink.write(viewer, held);
        }
        pump(viewer);
    }

    /** The viewer left: its requests are dropped. */
    void left(Viewer viewer) {
        viewer.history.waiting.clear();
        viewer.history.unsent = null;
        queue.remove(viewer);
        if (viewer.history.timer >= 0) {
            vertx.cancelTimer(viewer.history.timer);
        }
    }

    private void pump(Viewer viewer) {
        Lane lane = viewer.history;
        if (lane.reading || lane.unsent != null || lane.waiting.isEmpty() || lane.timer >= 0
                || !sink.connected(viewer) || sink.full(viewer)) {
            return;
        }
        long wait = lane.waiting.peek().charged() ? lane.budget.waitMillis(System.nanoTime()) : 0;
        if (wait > 0) {
            lane.timer = vertx.setTimer(wait, id -> {
                lane.timer = -1;
                pump(viewer);
            });
            return;
        }
        queue.add(viewer);
        next();
    }

    /**
     * Starts reads for the viewers in turn while a read slot allows; a charged read also waits for the shared
     * budget, and an uncharged one behind it goes first.
     */
    private void next() {
        long wait = total.waitMillis(System.nanoTime());
        for (java.util.Iterator<Viewer> turn = queue.iterator(); turn.hasNext() && reads < MAX_READS; ) {
            Viewer viewer = turn.next();
            Request head = viewer.history.waiting.peek();
            if (head == null || !head.charged() || wait == 0) {
                turn.remove();
                read(viewer);
            }
        }
        if (!queue.isEmpty() && reads < MAX_READS && totalTimer < 0 && wait > 0) {
            totalTimer = vertx.setTimer(wait, id -> {
                totalTimer = -1;
                next();
            });
        }
    }

    private void read(Viewer viewer) {
        Lane lane = viewer.history;
        Request request = lane.waiting.poll();
        if (request == null || !sink.connected(viewer)) {
            return;
        }
        lane.reading = true;
        reads++;
        vertx.executeBlocking(request.read(), false).onComplete(done -> {
            reads--;
            lane.reading = false;
            Buffer answer = done.succeeded() ? done.result()
                    : Messages.error("history could not be read: " + done.cause().getMessage(), null, "history");
            if (sink.connected(viewer)) {
                if (request.charged()) {
                    charge(viewer, answer.length());
                }
                if (sink.full(viewer)) {
                    lane.unsent = answer;
                } else {
                    sink.write(viewer, answer);
                }
                pump(viewer);
            }
            next();
        });
    }
}
