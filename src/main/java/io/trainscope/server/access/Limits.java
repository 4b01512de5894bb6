package io.trainscope.server.access;

/**
 * How much one client may ask of the server, each bound answered with a clear error (docs/security.md).
 * The largest WebSocket message is {@link io.trainscope.server.ServerConfig#maxMessageBytes()}, which the
 * server already announced in {@code hello}; the bounds on one run spec are the engine's {@code SpecLimits}.
 *
 * @param maxFrameBytes          largest WebSocket frame a viewer may send; a bigger one closes the socket (1009)
 * @param maxViewers             WebSocket connections at once; a handshake beyond them is refused with 503
 * @param messagesPerSecond      messages a viewer may send per second, on average (a token bucket's refill)
 * @param messageBurst           messages a viewer may send at once (the bucket's size)
 * @param maxBodyBytes           largest REST request body; a bigger one is refused with 413
 * @param maxBodiesBytes         REST body bytes being received at once, all requests together (each reserves its
 *                               {@code Content-Length} as it starts); a body past it is refused with 503
 * @param bodyTimeoutMillis      longest a REST body may take to arrive; then 408 and the connection is closed
 * @param maxConnections         TCP connections at once, 0 to derive it from the process's descriptor limit; one
 *                               more is closed as soon as it is accepted
 * @param headerTimeoutMillis    longest a new connection may take to send its first request's headers
 * @param idleTimeoutMillis      a connection that neither sends nor receives for this long is closed (viewers are
 *                               pinged well within it)
 * @param historyBytesPerSecond  history a viewer may be sent per second for its own requests (zoom, follow), on
 *                               average, with bursts of twice that; past it the next request waits, and none is
 *                               sent faster than the viewer reads
 * @param totalHistoryBytesPerSecond the same for all viewers together, shared out in turn, so that many viewers
 *                               asking at once cannot take the server's CPU
 * @param stallTimeoutMillis     a viewer that reads nothing while its socket is full for this long is closed with
 *                               1008 and a reason; until then its updates are skipped and coalesced
 */
public record Limits(int maxFrameBytes, int maxViewers, double messagesPerSecond, int messageBurst,
                     long maxBodyBytes, long maxBodiesBytes, long bodyTimeoutMillis, int maxConnections,
                     long headerTimeoutMillis, long idleTimeoutMillis, long historyBytesPerSecond,
                     long totalHistoryBytesPerSecond, long stallTimeoutMillis) {

    /** Vert.x's own default; a page's messages are a few hundred bytes. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
    /** About 20 MB of socket buffers at worst; far more than a dashboard needs, far less than a heap. */
    public static final int DEFAULT_MAX_VIEWERS = 1000;
    /** A person clicking or zooming sends a few a second; a script should not need more. */
    public static final double DEFAULT_MESSAGES_PER_SECOND = 20;
    public static final int DEFAULT_MESSAGE_BURST = 40;
    /** A spec with inline data can be large; anything past this is refused before it is parsed. */
    public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;
    /** Four bodies of the largest size at once: 25 clients each holding one open can no longer fill a heap. */
    public static final long DEFAULT_MAX_BODIES_BYTES = 4 * DEFAULT_MAX_BODY_BYTES;
    /** 16 MB arrives in well under a second on loopback and in seconds over a slow link. */
    public static final long DEFAULT_BODY_TIMEOUT_MILLIS = 30_000;
    /** Derived from the descriptor limit (see {@link ConnectionBudget}). */
    public static final int DEFAULT_MAX_CONNECTIONS = 0;
    /** A browser or script sends its request headers at once; a connection that dribbles them is an attack. */
    public static final long DEFAULT_HEADER_TIMEOUT_MILLIS = 10_000;
    /** nginx keeps idle keep-alive connections 75 s; viewers are pinged every third of this. */
    public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 60_000;
    /** A zoom of 4000 points of a deep network is about 1 MB: one or two a second, not a few hundred. */
    public static final long DEFAULT_HISTORY_BYTES_PER_SECOND = 2L * 1024 * 1024;
    /** Encoding 32 MB of history a second takes about a sixth of a core. */
    public static final long DEFAULT_TOTAL_HISTORY_BYTES_PER_SECOND = 32L * 1024 * 1024;
    /**
     * Long enough for a tab in the background or a phone on a train, short enough that a viewer that will never
     * read again does not hold its send buffer (256 KB, see HttpVerticle) for the idle timeout.
     */
    public static final long DEFAULT_STALL_TIMEOUT_MILLIS = 30_000;

    public static final Limits DEFAULT = new Limits(DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_VIEWERS,
            DEFAULT_MESSAGES_PER_SECOND, DEFAULT_MESSAGE_BURST, DEFAULT_MAX_BODY_BYTES);

    /** The message rate as people write it: {@code 20}, {@code 2.5}. */
    public String rate() {
        return messagesPerSecond == Math.rint(messagesPerSecond) ? String.valueOf((long) messagesPerSecond)
                : String.valueOf(messagesPerSecond);
    }

    /** The first five limits, and the defaults for the others. */
    public Limits(int maxFrameBytes, int maxViewers, double messagesPerSecond, int messageBurst, long maxBodyBytes) {
        this(maxFrameBytes, maxViewers, messagesPerSecond, messageBurst, maxBodyBytes,
                Math.max(maxBodyBytes, DEFAULT_MAX_BODIES_BYTES), DEFAULT_BODY_TIMEOUT_MILLIS, DEFAULT_MAX_CONNECTIONS,
                DEFAULT_HEADER_TIMEOUT_MILLIS, DEFAULT_IDLE_TIMEOUT_MILLIS, DEFAULT_HISTORY_BYTES_PER_SECOND,
                DEFAULT_TOTAL_HISTORY_BYTES_PER_SECOND, DEFAULT_STALL_TIMEOUT_MILLIS);
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
        if (maxBodiesBytes < maxBodyBytes) {
            throw new IllegalArgumentException("--max-bodies-bytes must be at least --max-body-bytes (" + maxBodyBytes
                    + "), got " + maxBodiesBytes);
        }
        if (bodyTimeoutMillis < 100 || headerTimeoutMillis < 100 || idleTimeoutMillis < 1000) {
            throw new IllegalArgumentException("--body-timeout and --header-timeout must be at least 0.1 s and "
                    + "--idle-timeout at least 1 s");
        }
        if (maxConnections < 0) {
            throw new IllegalArgumentException("--max-connections must be at least 1 (or 0: from the descriptor limit), got "
                    + maxConnections);
        }
        if (stallTimeoutMillis < 100) {
            throw new IllegalArgumentException("--stall-timeout must be at least 0.1 s, got " + stallTimeoutMillis / 1000.0);
        }
        if (historyBytesPerSecond < 64 * 1024 || totalHistoryBytesPerSecond < historyBytesPerSecond) {
            throw new IllegalArgumentException("--history-bytes-per-second must be at least 65536 and at most "
                    + "--total-history-bytes-per-second, got " + historyBytesPerSecond + " and " + totalHistoryBytesPerSecond);
        }
    }

    public Limits withBodies(long maxBodiesBytes, long bodyTimeoutMillis) {
        return new Limits(maxFrameBytes, maxViewers, messagesPerSecond, messageBurst, maxBodyBytes, maxBodiesBytes,
                bodyTimeoutMillis, maxConnections, headerTimeoutMillis, idleTimeoutMillis, historyBytesPerSecond,
                totalHistoryBytesPerSecond, stallTimeoutMillis);
    }

    public Limits withConnections(int maxConnections, long headerTimeoutMillis, long idleTimeoutMillis) {
        return new Limits(maxFrameBytes, maxViewers, messagesPerSecond, messageBurst, maxBodyBytes, maxBodiesBytes,
                bodyTimeoutMillis, maxConnections, headerTimeoutMillis, idleTimeoutMillis, historyBytesPerSecond,
                totalHistoryBytesPerSecond, stallTimeoutMillis);
    }

    public Limits withStallTimeout(long stallTimeoutMillis) {
        return new Limits(maxFrameBytes, maxViewers, messagesPerSecond, messageBurst, maxBodyBytes, maxBodiesBytes,
                bodyTimeoutMillis, maxConnections, headerTimeoutMillis, idleTimeoutMillis, historyBytesPerSecond,
                totalHistoryBytesPerSecond, stallTimeoutMillis);
    }

    public Limits withHistoryBytesPerSecond(long historyBytesPerSecond, long totalHistoryBytesPerSecond) {
        return new Limits(maxFrameBytes, maxViewers, messagesPerSecond, messageBurst, maxBodyBytes, maxBodiesBytes,
                bodyTimeoutMillis, maxConnections, headerTimeoutMillis, idleTimeoutMillis, historyBytesPerSecond,
                totalHistoryBytesPerSecond, stallTimeoutMillis);
    }
}
