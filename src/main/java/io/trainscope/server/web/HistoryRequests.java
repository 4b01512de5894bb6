package io.trainscope.server.web;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Histories read and encoded off the event loop (a past run's, a zoom's), within bounds, so that viewers cannot
 * make the server send more than they read or spend its CPU on them: 50 read-only viewers asking for a long run's
 * whole history at the allowed message rate once made it send 741 MB in 10 s at 181% CPU. Per viewer: at most
 * {@link #MAX_WAITING} requests wait (more are refused), one is read at a time, and its answer is written only
 * once the socket has room (held, one at most, until it drains). All viewers together have {@link #MAX_READS}
 * reads at a time, taking turns. What a viewer asks for itself ({@code history}, {@code follow}) is also
 * <em>charged</em>: it keeps to the viewer's byte budget and to a budget shared by all viewers. The history a
 * viewer is sent on connecting is not charged: it is one per connection, and connections are bounded. Nor is a
 * <em>catch-up</em>, what a viewer missed of a run while its socket was full or its join was being read: it goes
 * ahead of the viewer's other requests, since the run's live updates wait for it, and there is at most one per
 * run that the viewer follows. The HTTP verticle's event loop only.
 */
final class HistoryRequests {

    static final int MAX_WAITING = 16;
    static final int MAX_READS = 2;
    /** Budgets allow bursts of this many seconds' worth. */
    static final double BURST_SECONDS = 2;

    /**
     * A read waiting in a viewer's lane, whether its bytes count against the budgets, and what is done with its
     * answer once the socket has room for it.
     */
    private record Request(Callable<Buffer> read, boolean charged, Consumer<Buffer> deliver) {
    }

    /** An answer read, waiting for the socket to drain. */
    private record Unsent(Request request, Buffer answer) {
    }

    /** One viewer's requests. */
    static final class Lane {
        private final ArrayDeque<Request> waiting = new ArrayDeque<>();
        private final ByteBudget budget;
        private boolean reading;
        private Unsent unsent;
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
    /** {@link #next} is running; {@link #startAgain}: it was called meanwhile. */
    private boolean starting;
    private boolean startAgain;
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
        return submit(viewer, read, charged, answer -> sink.write(viewer, answer));
    }

    /** As {@link #submit(Viewer, Callable, boolean)}, the answer handed to {@code deliver} instead of written. */
    boolean submit(Viewer viewer, Callable<Buffer> read, boolean charged, Consumer<Buffer> deliver) {
        Lane lane = viewer.history;
        if (lane.waiting.size() >= MAX_WAITING) {
            return false;
        }
        lane.waiting.add(new Request(read, charged, deliver));
        pump(viewer);
        return true;
    }

    /**
     * Queues an uncharged catch-up ahead of the viewer's other requests, never refused; its answer goes to
     * {@code deliver} once the socket has room (not at all if the viewer leaves first).
     */
    void catchUp(Viewer viewer, Callable<Buffer> read, Consumer<Buffer> deliver) {
        viewer.history.waiting.addFirst(new Request(read, false, deliver));
        pump(viewer);
    }

    /**
     * Queues the uncharged history of a run a viewer is sent on connecting, never refused: its runs are bounded by
     * the runs there are.
     */
    void greet(Viewer viewer, Callable<Buffer> read, Consumer<Buffer> deliver) {
        viewer.history.waiting.add(new Request(read, false, deliver));
        pump(viewer);
    }

    private void charge(Viewer viewer, long bytes) {
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
            Unsent held = lane.unsent;
            lane.unsent = null;
            held.request().deliver().accept(held.answer());
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
     * budget, and an uncharged one behind it goes first. A read can finish before its handler is set, so that the
     * handler (delivering, queueing the next read, calling this) runs inside a read started here: the turn is
     * taken before any read starts, and a call made meanwhile makes the loop go round again instead.
     */
    private void next() {
        if (starting) {
            startAgain = true;
            return;
        }
        starting = true;
        try {
            do {
                startAgain = false;
                startReads();
            } while (startAgain);
        } finally {
            starting = false;
        }
    }

    private void startReads() {
        long wait = total.waitMillis(System.nanoTime());
        // A viewer taken in turn may start no read (it left, or has nothing waiting): then others are taken.
        while (reads < MAX_READS) {
            List<Viewer> turn = new ArrayList<>();
            for (Iterator<Viewer> queued = queue.iterator(); queued.hasNext() && reads + turn.size() < MAX_READS; ) {
                Viewer viewer = queued.next();
                Request head = viewer.history.waiting.peek();
                if (head == null || !head.charged() || wait == 0) {
                    queued.remove();
                    turn.add(viewer);
                }
            }
            if (turn.isEmpty()) {
                break;
            }
            turn.forEach(this::read);
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
                    lane.unsent = new Unsent(request, answer);
                } else {
                    request.deliver().accept(answer);
                }
                pump(viewer);
            }
            next();
        });
    }
}
