package io.trainscope.server.access;

/**
 * How much one client may ask of the server, each bound answered with a clear error (docs/security.md).
 * The largest WebSocket message is {@link io.trainscope.server.ServerConfig#maxMessageBytes()}, which the
 * server already announced in {@code hello}; the bounds on one run spec are the engine's {@code SpecLimits}.
 *
 * @param maxFrameBytes     largest WebSocket frame a viewer may send; a bigger one closes the socket (1009)
 * @param maxViewers        WebSocket connections at once; a handshake beyond them is refused with 503
 * @param messagesPerSecond messages a viewer may send per second, on average (a token bucket's refill)
 * @param messageBurst      messages a viewer may send at once (the bucket's size)
 * @param maxBodyBytes      largest REST request body; a bigger one is refused with 413
 */
public record Limits(int maxFrameBytes, int maxViewers, double messagesPerSecond, int messageBurst,
                     long maxBodyBytes) {

    /** Vert.x's own default; a page's messages are a few hundred bytes. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
    /** About 20 MB of socket buffers at worst; far more than a dashboard needs, far less than a heap. */
    public static final int DEFAULT_MAX_VIEWERS = 1000;
    /** A person clicking or zooming sends a few a second; a script should not need more. */
    public static final double DEFAULT_MESSAGES_PER_SECOND = 20;
    public static final int DEFAULT_MESSAGE_BURST = 40;
    /** A spec with inline data can be large; anything past this is refused before it is parsed. */
    public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;

    public static final Limits DEFAULT = new Limits(DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_VIEWERS,
            DEFAULT_MESSAGES_PER_SECOND, DEFAULT_MESSAGE_BURST, DEFAULT_MAX_BODY_BYTES);

    /** The message rate as people write it: {@code 20}, {@code 2.5}. */
    public String rate() {
        return messagesPerSecond == Math.rint(messagesPerSecond) ? String.valueOf((long) messagesPerSecond)
                : String.valueOf(messagesPerSecond);
    }

    public Limits {
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("--max-frame-bytes must be at least 1024, got " + maxFrameBytes);
        }
        if (maxViewers < 1) {
            throw new IllegalArgumentException("--max-viewers must be at least 1, got " + maxViewers);
        }
        if (!(messagesPerSecond > 0) || Double.isInfinite(messagesPerSecond)) {
            throw new IllegalArgumentException("--message-rate must be a number > 0, got " + messagesPerSecond);
        }
        if (messageBurst < 1) {
            throw new IllegalArgumentException("--message-burst must be at least 1, got " + messageBurst);
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("--max-body-bytes must be at least 1024, got " + maxBodyBytes);
        }
    }
}
