package io.trainscope.server.web;

import io.trainscope.server.bus.MetricsUpdate;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's last few live updates, as sent: a viewer a few seconds behind (its join was shared and ends a moment ago,
 * or its socket was full for a while) is brought up to date by being sent them again, not by a read of the run's
 * history. A thousand viewers joining at once once needed a thousand such reads, two at a time; each took long
 * enough for the run to move on, so that they chased the live updates and none reached them. Updates are contiguous
 * ({@code [from, to)} of one is followed by the next's), so a viewer behind from iteration {@code f} is sent the
 * updates from the one that starts at {@code f}. Each update is encoded at most once per encoding, when first
 * needed, with the time it was first sent. The HTTP verticle's event loop only.
 */
final class RecentUpdates {

    /** About three seconds of updates at the default push rate; each is at most maxLivePoints points. */
    static final int KEPT = 64;

    /** One update and its encodings, made when first needed. */
    private record Sent(MetricsUpdate update, long time, Buffer[] encoded) {
        Buffer in(Encoding encoding) {
            int e = encoding.ordinal();
            if (encoded[e] == null) {
                encoded[e] = Messages.metrics(update, time, encoding);
            }
            return encoded[e];
        }
    }

    private final ArrayDeque<Sent> kept = new ArrayDeque<>();

    /** Keeps {@code update}, sent at {@code time} (epoch ms); the oldest kept gives way past {@link #KEPT}. */
    void add(MetricsUpdate update, long time) {
        Sent last = kept.peekLast();
        if (last != null && last.update().to() != update.from()) {
            kept.clear();
        }
        if (kept.size() == KEPT) {
            kept.poll();
        }
        kept.add(new Sent(update, time, new Buffer[Encoding.values().length]));
    }

    /** The update sent last, in {@code encoding}, or null. */
    Buffer last(Encoding encoding) {
        Sent last = kept.peekLast();
        return last == null ? null : last.in(encoding);
    }

    /**
     * The kept updates from iteration {@code from} to the last one's end, in {@code encoding}; null when none of
     * them starts at {@code from} (the viewer is further behind, or between two updates' starts).
     */
    List<Buffer> since(long from, Encoding encoding) {
        List<Buffer> out = null;
        for (Sent sent : kept) {
            if (out == null && sent.update().from() == from) {
                out = new ArrayList<>();
            }
            if (out != null) {
                out.add(sent.in(encoding));
            }
        }
        return out;
    }

    /** Where the kept updates end: the next update's start, or -1 when none is kept. */
    long to() {
        Sent last = kept.peekLast();
        return last == null ? -1 : last.update().to();
    }
}
