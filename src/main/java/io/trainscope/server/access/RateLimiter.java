package io.trainscope.server.access;

/**
 * One connection's message budget: a token bucket of {@code burst} tokens refilled at {@code perSecond}.
 * A message that finds the bucket empty is refused (answered with an error, not acted on). Refusals have a
 * budget of their own, {@link #ABUSE_REFUSALS} forgiven at one a second: a client that keeps sending into
 * an empty bucket past it is abusive and its connection is closed, so flooding cannot make the server spend
 * its time writing errors. Not thread-safe: each connection's messages arrive on one event loop.
 */
public final class RateLimiter {

    /** Refusals a connection may collect (less one forgiven per second) before it is closed. */
    public static final int ABUSE_REFUSALS = 100;

    public enum Verdict {
        /** Within the rate: act on the message. */
        ADMIT,
        /** Over the rate: answer with an error, do not act. */
        REFUSE,
        /** Over the rate for long: close the connection. */
        CLOSE
    }

    private final double perNano;
    private final double burst;
    private double tokens;
    private double refusals;
    private long last;

    public RateLimiter(double perSecond, int burst, long nowNanos) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    public Verdict admit(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - last);
        last = nowNanos;
        tokens = Math.min(burst, tokens + elapsed * perNano);
        refusals = Math.max(0, refusals - elapsed / 1e9);
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ADMIT;
        }
        refusals += 1;
        return refusals > ABUSE_REFUSALS ? Verdict.CLOSE : Verdict.REFUSE;
    }
}
