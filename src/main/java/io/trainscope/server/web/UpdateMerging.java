package io.trainscope.server.web;

import io.trainscope.server.bus.MetricsUpdate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When a run's live updates go out to viewers: each as it comes while the event loop can write it to every viewer,
 * and past that several merged into one, so that every viewer's write fits in {@link #WRITES_PER_SECOND}. Up to
 * {@code WRITES_PER_SECOND / pushRate} viewers (2,000 at 20 pushes a second) nothing waits; 10,000 viewers get an
 * update every quarter of a second carrying five pushes' points. The points a second stay the same (every point an
 * update carried is in the merged one, so viewers' series have no gap); only the number of messages falls, and with
 * it the event loop's work, which at 20 writes a second to each of 10,000 viewers was five times what it could do:
 * it then wrote updates and nothing else, and handshakes waited. The HTTP verticle's event loop only.
 */
final class UpdateMerging {

    /**
     * Socket writes a second the event loop can make to viewers while leaving room for handshakes and joins: about
     * 13 µs each (epoll, measured at 1,000 viewers, docs/performance.md), so half a core.
     */
    static final int WRITES_PER_SECOND = 40_000;

    private final int pushRate;
    private final int writesPerSecond;
    /** Per run, the updates come since its last fan-out, merged. */
    private final Map<String, MetricsUpdate> waiting = new HashMap<>();
    private final Map<String, Long> sentAt = new HashMap<>();

    UpdateMerging(int pushRate) {
        this(pushRate, WRITES_PER_SECOND);
    }

    UpdateMerging(int pushRate, int writesPerSecond) {
        this.pushRate = Math.max(1, pushRate);
        this.writesPerSecond = writesPerSecond;
    }

    /**
     * How long, with {@code viewers} connected, a run's updates wait after a send before the next: the time the
     * budget allows between two writes to every viewer, less half a push (updates come a push apart, a little early
     * or late), so that with few viewers every update goes and with many the sends fall on the push that keeps the
     * budget.
     */
    long waitNanos(int viewers) {
        long halfPush = 500_000_000L / pushRate;
        return Math.max(0, (long) viewers * 1_000_000_000L / writesPerSecond - halfPush);
    }

    /**
     * A new update of a run at {@code now} (nanoTime): the updates to send now, in order (none while it waits to
     * be merged with the next ones: then {@link #dueIn} says when to {@link #flush} it at the latest).
     */
    List<MetricsUpdate> offer(MetricsUpdate update, long now, int viewers) {
        String runId = update.runId();
        List<MetricsUpdate> out = new ArrayList<>(2);
        MetricsUpdate held = waiting.remove(runId);
        if (held != null && (held.to() != update.from() || !held.points().layout().equals(update.points().layout()))) {
            // Not contiguous (never, from one trainer): each goes as it is.
            out.add(held);
            held = null;
        }
        MetricsUpdate merged = held == null ? update : MetricsUpdate.joined(List.of(held, update));
        Long last = sentAt.get(runId);
        if (out.isEmpty() && last != null && now - last < waitNanos(viewers)) {
            waiting.put(runId, merged);
            return out;
        }
        sentAt.put(runId, now);
        out.add(merged);
        return out;
    }

    /** Something of {@code runId} waits to be merged. */
    boolean holds(String runId) {
        return waiting.containsKey(runId);
    }

    /** Nanoseconds until what waits for {@code runId} is due (as {@link #offer} was told with {@code viewers}). */
    long dueIn(String runId, long now, int viewers) {
        Long last = sentAt.get(runId);
        return last == null ? 0 : Math.max(0, last + waitNanos(viewers) - now);
    }

    /** What waits for {@code runId}, to send now (before its state, which must follow its points), or null. */
    MetricsUpdate flush(String runId, long now) {
        MetricsUpdate held = waiting.remove(runId);
        if (held != null) {
            sentAt.put(runId, now);
        }
        return held;
    }

    /** The run was deleted: nothing of it waits. */
    void forget(String runId) {
        waiting.remove(runId);
        sentAt.remove(runId);
    }
}
