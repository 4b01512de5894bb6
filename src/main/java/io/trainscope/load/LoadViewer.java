package io.trainscope.load;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

/**
 * One viewer of a load test. It takes the server's frames as they come (no message is assembled), keeps the
 * first {@link MessageHead#MAX_BYTES} bytes of each message to tell what it is, and counts payload bytes.
 * Heads are read only until the join history has come, and in the window: the rest is counted, not looked at.
 *
 * <p>The server sends each message as a one-byte text frame and continuation frames (server/SharedText), so a
 * head usually spans two frames. Frames arrive on the socket's event loop; the report reads the counters from
 * another thread, hence the (uncontended) lock.
 */
final class LoadViewer {

    final boolean slow;
    private final String runId;
    private final Histogram latency;
    private final Histogram joins;
    private final long begunNanos = System.nanoTime();
    private final byte[] head = new byte[MessageHead.MAX_BYTES];
    private int headLength;
    private volatile Window window;

    private boolean joined;
    private long updates;
    private long bytes;
    private long catchUps;
    private long bytesTotal;
    private boolean connected;
    private String closed;

    /** {@code latency} and {@code joins} are the group's, shared by its viewers. */
    LoadViewer(boolean slow, String runId, Histogram latency, Histogram joins) {
        this.slow = slow;
        this.runId = runId;
        this.latency = latency;
        this.joins = joins;
    }

    void window(Window window) {
        this.window = window;
    }

    void onFrame(WebSocketFrame frame) {
        if (!frame.isText() && !frame.isBinary() && !frame.isContinuation()) {
            return;
        }
        long now = System.currentTimeMillis();
        Buffer data = frame.binaryData();
        int length = data.length();
        Window w = window;
        boolean inWindow = w != null && w.contains(now);
        synchronized (this) {
            bytesTotal += length;
            if (inWindow) {
                bytes += length;
            }
            if (!frame.isContinuation()) {
                headLength = 0;
            }
            int take = Math.min(length, head.length - headLength);
            if (take > 0) {
                data.getBytes(0, take, head, headLength);
                headLength += take;
            }
            if (frame.isFinal() && (inWindow || !joined)) {
                messageEnded(MessageHead.parse(head, headLength), inWindow, now);
            }
        }
    }

    private void messageEnded(MessageHead message, boolean inWindow, long now) {
        if (!runId.equals(message.runId())) {
            return;
        }
        boolean history = message.is("history");
        if (history && !joined && "join".equals(message.purpose())) {
            joined = true;
            if (!slow) {
                joins.record((System.nanoTime() - begunNanos) / 1_000_000);
            }
        }
        if (!inWindow) {
            return;
        }
        if (message.is("metrics")) {
            updates++;
            if (!slow && message.time() != MessageHead.NO_TIME) {
                latency.record(now - message.time());
            }
        } else if (history && "catchUp".equals(message.purpose())) {
            catchUps++;
        }
    }

    synchronized void connected() {
        connected = true;
    }

    /** The connection ended: {@code code} and {@code reason} of the server's close frame, null when it sent none. */
    synchronized void closed(Short code, String reason) {
        closed = code == null ? "1006 (closed without a close frame)"
                : code + (reason == null || reason.isEmpty() ? "" : " " + reason);
    }

    /**
     * What this viewer has counted, read at once.
     *
     * @param connected  its handshake succeeded within the connect phase
     * @param updates    {@code metrics} messages of the followed run that ended in the window
     * @param bytes      payload bytes of the frames that arrived in the window
     * @param catchUps   catch-up histories of the followed run that ended in the window
     * @param bytesTotal payload bytes of every frame since it connected
     * @param closed     how its connection ended, or null while it is open
     */
    record Counts(boolean connected, long updates, long bytes, long catchUps, long bytesTotal, String closed) {
    }

    synchronized Counts counts() {
        return new Counts(connected, updates, bytes, catchUps, bytesTotal, closed);
    }
}
