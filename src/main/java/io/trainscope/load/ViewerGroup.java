package io.trainscope.load;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The viewers of one process: connects them, counts what they receive in the {@link Window}, reports. It is the
 * whole of a {@code load-worker} process, and runs in the tool's own process with {@code --processes 0}.
 *
 * <p>One Vert.x {@link WebSocketClient} carries all healthy viewers, on Vert.x's event loops (two per core);
 * handshakes are begun from a plain thread, so that each viewer gets the next event loop in turn. Both clients
 * are fields: Vert.x closes a client that is garbage-collected, and every socket with it.
 */
final class ViewerGroup implements AutoCloseable {

    /** After the window, how long slow viewers read again to see what the server left them. */
    static final long DRAIN_MS = 2000;
    /**
     * A slow viewer's receive buffer. Small, so that the server meets the stall within a second: on loopback the
     * kernel grows a socket's buffers to tens of MB (tcp_rmem), minutes of updates before the server could tell.
     */
    static final int SLOW_RECEIVE_BUFFER = 16 * 1024;
    /** The largest frame taken; the server's are at most 64 KB (server/SharedText). A bound, not a need. */
    static final int MAX_FRAME = 1 << 20;
    /** After the connect phase, how long a handshake still in flight is waited for before it counts as timed out. */
    static final long SETTLE_MS = 5000;

    /**
     * Vert.x warns "Connection evicted" for each connection whose upgrade was refused: thousands of lines when a
     * server refuses viewers past --max-viewers, each of which the report already counts. Held here, because a
     * logger whose level was set and that nobody references can be collected, level and all.
     */
    private static final java.util.logging.Logger EVICTIONS = quiet("io.vertx.core.http.impl.HttpClientConnectionInternal");

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    private final Job job;
    private final Vertx vertx;
    private final WebSocketClient client;
    private final WebSocketClient slowClient;
    private final List<LoadViewer> viewers = new ArrayList<>();
    private final List<ClientWebSocket> sockets = new ArrayList<>();
    private final Histogram latency = new Histogram();
    private final Histogram handshakes = new Histogram();
    private final Histogram joins = new Histogram();
    private final Failures failures = new Failures();
    private Window window;

    ViewerGroup(Job job) {
        this.job = job;
        // No file cache: a load worker reads no files, and would otherwise leave a .vertx folder where it ran.
        // Under a heavy test an event loop may wait for the CPU for seconds; only a real hang is worth a warning.
        // The native transport where there is one, as the server uses: its reads cost the clients less CPU.
        vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false))
                .setMaxEventLoopExecuteTime(10).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS));
        client = vertx.createWebSocketClient(options(job.viewers() - job.slow()));
        slowClient = vertx.createWebSocketClient(options(job.slow()).setReceiveBufferSize(SLOW_RECEIVE_BUFFER));
    }

    private static WebSocketClientOptions options(int viewers) {
        // Frames are taken one by one (a frame handler and no message handler), so the message size limit does not
        // apply; the connection limit is per client and endpoint, 50 by default.
        return new WebSocketClientOptions().setMaxConnections(Math.max(1, viewers)).setMaxFrameSize(MAX_FRAME);
    }

    /**
     * Connects every viewer, at most {@code job.concurrency()} handshakes at once, within {@code job.connectTimeoutMs()}
     * for all. Slow viewers stop reading once connected. Call from a thread that is not Vert.x's.
     */
    ConnectReport connect() throws InterruptedException {
        Semaphore inFlight = new Semaphore(job.concurrency());
        long startNanos = System.nanoTime();
        long deadline = startNanos + TimeUnit.MILLISECONDS.toNanos(job.connectTimeoutMs());
        long firstAttemptAt = System.currentTimeMillis();
        AtomicLong lastConnectedAt = new AtomicLong();
        CountDownLatch settledAll = new CountDownLatch(job.viewers());
        List<AtomicBoolean> settled = new ArrayList<>();
        for (int i = 0; i < job.viewers(); i++) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0 || !inFlight.tryAcquire(remaining, TimeUnit.NANOSECONDS)) {
                for (int rest = i; rest < job.viewers(); rest++) {
                    failures.add(Failures.TIMEOUT);
                    settledAll.countDown();
                }
                break;
            }
            boolean slow = i < job.slow();
            LoadViewer viewer = new LoadViewer(slow, job.runId(), latency, joins);
            ClientWebSocket socket = (slow ? slowClient : client).webSocket();
            AtomicBoolean done = new AtomicBoolean();
            viewers.add(viewer);
            sockets.add(socket);
            settled.add(done);
            socket.frameHandler(viewer::onFrame);
            socket.closeHandler(closed -> viewer.closed(socket.closeStatusCode(), socket.closeReason()));
            // How a connection ended is read in the close handler; a socket error alone says less.
            socket.exceptionHandler(error -> { });
            long begun = System.nanoTime();
            long timeoutMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - begun));
            // No Origin: a command-line client is not a page (CONTRACT, "Control and access").
            WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(job.host()).setPort(job.port())
                    .setURI(job.uri()).setAllowOriginHeader(false).setTimeout(timeoutMs).setConnectTimeout(timeoutMs);
            socket.connect(options).onComplete(result -> {
                inFlight.release();
                if (!done.compareAndSet(false, true)) {
                    // Counted as timed out already: this one is not part of the test.
                    if (result.succeeded()) {
                        socket.close();
                    }
                    return;
                }
                if (result.succeeded() && System.nanoTime() < deadline) {
                    if (slow) {
                        socket.pause();
                    }
                    viewer.connected();
                    handshakes.record(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun));
                    lastConnectedAt.accumulateAndGet(System.currentTimeMillis(), Math::max);
                } else if (result.succeeded()) {
                    failures.add(Failures.TIMEOUT);
                    socket.close();
                } else if (System.nanoTime() - begun >= TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
                    // Vert.x ends a handshake that ran out of time by closing it: "Connection closed while handshake
                    // in process", which would read as the server's doing.
                    failures.add(Failures.TIMEOUT);
                } else {
                    failures.add(Failures.reason(result.cause()));
                }
                settledAll.countDown();
            });
        }
        long waitMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + SETTLE_MS;
        if (!settledAll.await(Math.max(0, waitMs), TimeUnit.MILLISECONDS)) {
            for (AtomicBoolean done : settled) {
                if (done.compareAndSet(false, true)) {
                    failures.add(Failures.TIMEOUT);
                }
            }
        }
        int connected = 0;
        for (LoadViewer viewer : viewers) {
            connected += viewer.counts().connected() ? 1 : 0;
        }
        return new ConnectReport(job.viewers(), connected, failures.counts(), firstAttemptAt, lastConnectedAt.get(),
                handshakes.counts(), ThisProcess.openFilesLimit());
    }

    /** From now on, messages are counted by whether they arrive in {@code window}. */
    void window(Window window) {
        this.window = window;
        for (LoadViewer viewer : viewers) {
            viewer.window(window);
        }
    }

    /**
     * Waits for the window to end, lets the slow viewers read for {@link #DRAIN_MS}, and reports. This process's
     * CPU time is read at both ends of the window.
     */
    GroupReport report() throws InterruptedException {
        sleepUntil(window.from());
        double cpuFrom = ThisProcess.cpuSeconds();
        sleepUntil(window.to());
        double cpuTo = ThisProcess.cpuSeconds();
        for (int i = 0; i < viewers.size(); i++) {
            if (viewers.get(i).slow && viewers.get(i).counts().connected()) {
                sockets.get(i).resume();
            }
        }
        if (job.slow() > 0) {
            Thread.sleep(DRAIN_MS);
        }
        List<LoadViewer.Counts> healthy = new ArrayList<>();
        Map<String, Integer> closed = new TreeMap<>();
        Map<String, Integer> outcome = new TreeMap<>();
        long drained = 0;
        int slowConnected = 0;
        for (LoadViewer viewer : viewers) {
            LoadViewer.Counts counts = viewer.counts();
            if (!counts.connected()) {
                continue;
            }
            if (viewer.slow) {
                slowConnected++;
                drained += counts.bytesTotal();
                outcome.merge(counts.closed() == null ? "open" : "closed " + counts.closed(), 1, Integer::sum);
            } else {
                healthy.add(counts);
                if (counts.closed() != null) {
                    closed.merge(counts.closed(), 1, Integer::sum);
                }
            }
        }
        long[] updates = healthy.stream().mapToLong(LoadViewer.Counts::updates).toArray();
        long[] bytes = healthy.stream().mapToLong(LoadViewer.Counts::bytes).toArray();
        long[] catchUps = healthy.stream().mapToLong(LoadViewer.Counts::catchUps).toArray();
        return new GroupReport(updates, bytes, catchUps, latency.counts(), joins.counts(), closed,
                new GroupReport.Slow(slowConnected, drained, outcome),
                cpuTo - cpuFrom, ThisProcess.cpuSeconds(), ThisProcess.heapUsedBytes());
    }

    private static void sleepUntil(long epochMs) throws InterruptedException {
        long wait = epochMs - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Closing is best effort: a worker process exits next, and its sockets go with it.
        }
    }
}
