package io.trainscope.server;

/**
 * Bytes that may be sent, refilled at a steady rate up to a burst: a token bucket whose balance may go below zero,
 * so that one large message is sent whole and the next waits until the debt is paid. Not thread-safe.
 */
final class ByteBudget {

    private final double perNano;
    private final double burst;
    private double balance;
    private long at;

    ByteBudget(long bytesPerSecond, double burstSeconds, long nowNanos) {
        this.perNano = bytesPerSecond / 1e9;
        this.burst = bytesPerSecond * burstSeconds;
        this.balance = burst;
        this.at = nowNanos;
    }

    /** Milliseconds until the balance is back to zero: 0 when something may be sent now. */
    long waitMillis(long nowNanos) {
        refill(nowNanos);
        return balance >= 0 ? 0 : (long) Math.ceil(-balance / perNano / 1e6);
    }

    void spend(long bytes, long nowNanos) {
        refill(nowNanos);
        balance -= bytes;
    }

    private void refill(long nowNanos) {
        balance = Math.min(burst, balance + Math.max(0, nowNanos - at) * perNano);
        at = nowNanos;
    }
}
