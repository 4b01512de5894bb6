package io.trainscope.server.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;

/**
 * Writes one already-encoded message to many WebSockets without copying or re-encoding it per socket: a Buffer
 * written to several sockets is shared, not copied (each write takes its own view of the bytes).
 *
 * <p>A binary message ({@link Encoding#BINARY} viewers) is one binary frame, or a binary frame and continuation
 * frames past {@link #MAX_FRAME}. A text message needs a trick: Vert.x's public API builds text frames only from a
 * String (one UTF-8 encoding per call), but a continuation frame takes a Buffer. So it goes out as a fragmented
 * text message (RFC 6455 §5.4): a text frame holding the first byte, then continuation frames over the shared
 * buffer. Browsers and the Vert.x client reassemble both as one message. Every frame is within the receiver's
 * default frame limit.
 */
final class SharedFrames {

    /** Vert.x's and most clients' default largest frame. */
    static final int MAX_FRAME = 65536;

    private SharedFrames() {
    }

    /**
     * {@code message} as one WebSocket message, binary or text; a text message is UTF-8 JSON whose first byte is
     * ASCII ({@code {} or {@code [}). A socket that has just closed (its close handler not yet run) is skipped.
     */
    static void write(WebSocketBase socket, Buffer message, boolean binary) {
        if (socket.isClosed()) {
            return;
        }
        int length = message.length();
        int from;
        if (binary) {
            from = Math.min(length, MAX_FRAME);
            socket.writeFrame(WebSocketFrame.binaryFrame(from == length ? message : message.slice(0, from), from == length));
        } else if (length <= 1) {
            socket.writeTextMessage(message.toString());
            return;
        } else {
            socket.writeFrame(WebSocketFrame.textFrame(String.valueOf((char) message.getByte(0)), false));
            from = 1;
        }
        for (; from < length; from += MAX_FRAME) {
            int to = Math.min(length, from + MAX_FRAME);
            socket.writeFrame(WebSocketFrame.continuationFrame(message.slice(from, to), to == length));
        }
    }
}
