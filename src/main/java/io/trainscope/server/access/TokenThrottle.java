package io.trainscope.server.access;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down token guessing: each client address may present {@link #BURST} wrong tokens at once and then one a
 * second ({@link #PER_SECOND}); past that, any token it presents is refused unchecked (429) until its budget
 * refills, the right one included, or guessing would only be slowed for wrong guesses. A generated token (24
 * random bytes) is out of reach of guessing anyway; a short one chosen by hand is not, and without this a single
 * connection tried about 3,000 a second. Any page the user visits can probe {@code GET /api/runs?token=…} (an
 * image load tells it success from failure), so loopback clients are throttled too.
 *
 * <p>At most {@link #MAX_CLIENTS} addresses are remembered, the least recently seen forgotten first. Not
 * thread-safe: the HTTP verticle's event loop only.
 */
public final class TokenThrottle {

    static final int BURST = 10;
    static final double PER_SECOND = 1;
    static final int MAX_CLIENTS = 10_000;

    /** Per client: wrong tokens it may still present, and when that was last brought up to date. */
    private static final class Budget {
        double left = BURST;
        long at;
    }

    private final Map<String, Budget> clients = new LinkedHashMap<>(16, 0.75f, true);

    /** Whether a token presented by {@code client} now may be compared at all. */
    public boolean mayTry(String client, long nowNanos) {
        Budget budget = clients.get(client);
        return budget == null || refill(budget, nowNanos) >= 1;
    }

    /** {@code client} presented a wrong token. */
    public void failed(String client, long nowNanos) {
        Budget budget = clients.get(client);
        if (budget == null) {
            budget = new Budget();
            budget.at = nowNanos;
            clients.put(client, budget);
            trim();
        }
        refill(budget, nowNanos);
        budget.left = Math.max(0, budget.left - 1);
    }

    /** Milliseconds until {@code client} may present a token again (0 when it may now). */
    public long retryAfterMillis(String client, long nowNanos) {
        Budget budget = clients.get(client);
        if (budget == null) {
            return 0;
        }
        double missing = 1 - refill(budget, nowNanos);
        return missing <= 0 ? 0 : (long) Math.ceil(missing / PER_SECOND * 1000);
    }

    private static double refill(Budget budget, long nowNanos) {
        long elapsed = Math.max(0, nowNanos - budget.at);
        budget.at = nowNanos;
        budget.left = Math.min(BURST, budget.left + elapsed / 1e9 * PER_SECOND);
        return budget.left;
    }

    private void trim() {
        Iterator<Budget> eldest = clients.values().iterator();
        while (clients.size() > MAX_CLIENTS) {
            eldest.next();
            eldest.remove();
        }
    }
}
