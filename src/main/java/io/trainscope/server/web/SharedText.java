package io.trainscope.server.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;

/**
 * Writes one already-encoded JSON text message to many WebSockets without copying or re-encoding it per
 * socket. Vert.x's public API builds text frames only from a String (one UTF-8 encoding per call), but a
 * continuation frame takes a Buffer, and a Buffer written to several sockets is shared, not copied (each
 * write takes its own view of the bytes). So the message goes out as a fragmented text message (RFC 6455
 * §5.4): a text frame holding the first byte, then continuation frames over the shared buffer, each within
 * the receiver's default frame limit. Browsers and the Vert.x client reassemble it as one text message.
 */
final class SharedText {

    /** Vert.x's and most clients' default largest frame. */
    static final int MAX_FRAME = 65536;

    private SharedText() {
    }

    /**
     * {@code json} is UTF-8 JSON whose first byte is ASCII ({@code {} or {@code [}). A socket that has just
     * closed (its close handler not yet run) is skipped.
     */
    static void write(WebSocketBase socket, Buffer json) {
        if (socket.isClosed()) {
            return;
        }
        int length = json.length();
        if (length <= 1) {
            socket.writeTextMessage(json.toString());
            return;
        }
        socket.writeFrame(WebSocketFrame.textFrame(String.valueOf((char) json.getByte(0)), false));
        for (int from = 1; from < length; from += MAX_FRAME) {
            int to = Math.min(length, from + MAX_FRAME);
            socket.writeFrame(WebSocketFrame.continuationFrame(json.slice(from, to), to == length));
        }
    }
}
