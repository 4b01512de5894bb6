package io.trainscope.load;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

/**
 * One viewer of a load test. It takes the server's frames as they come (no message is assembled), keeps the
 * first {@link MessageHead#MAX_BYTES} bytes of each message to tell what it is, and counts payload bytes.
 *
 * <p>The server sends each message as a one-byte text frame and continuation frames (server/SharedText), so a
 * head usually spans two frames. Frames arrive on the socket's event loop; the report reads the counters from
 * another thread, hence the (uncontended) lock.
 */
final class LoadViewer {

    final boolean slow;
    private final Histogram latency;
    private final byte[] head = new byte[MessageHead.MAX_BYTES];
    private int headLength;
    private volatile Window window;

    private long updates;
    private long bytes;
    private long catchUps;
    private long bytesTotal;
    private boolean connected;
    private String closed;

    LoadViewer(boolean slow, Histogram latency) {
        this.slow = slow;
        this.latency = latency;
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
            if (frame.isFinal() && inWindow) {
                messageEnded(MessageHead.parse(head, headLength), w.runId(), now);
            }
        }
    }

    /** A message that ended in the window: an update of the followed run, or a catch-up after a skip. */
    private void messageEnded(MessageHead message, String runId, long now) {
        if (!runId.equals(message.runId())) {
            return;
        }
        if (message.is("metrics")) {
            updates++;
            if (!slow && message.time() != MessageHead.NO_TIME) {
                latency.record(now - message.time());
            }
        } else if (message.is("history") && "catchUp".equals(message.purpose())) {
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
