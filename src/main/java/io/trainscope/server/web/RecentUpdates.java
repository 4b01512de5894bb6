package io.trainscope.server.web;

import io.trainscope.point.Downsample;
import io.trainscope.point.Points;
import io.trainscope.server.bus.MetricsUpdate;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A run's last live updates, as sent: a viewer behind by up to a minute (its join was shared and ends a moment ago,
 * its socket was full for a while) is brought up to date from them, never by a read of the run's history. A few
 * updates behind, it is sent those updates again, as first sent. Further behind, it is sent one {@code history}
 * message of the points those updates carried, made once for every viewer behind from the same iteration until
 * the next update comes. Ten thousand viewers joining at once took longer than a few seconds of updates reach, and
 * with each of them needing a read from the history, two at a time, they chased the live updates and never reached
 * them; sending them the hundreds of updates of a longer reach one by one instead slowed every handshake.
 *
 * <p>Updates are contiguous ({@code [from, to)} of one is followed by the next's), so a viewer behind from iteration
 * {@code f} is brought up to date from the update that starts at {@code f}. Each update is encoded at most once per
 * encoding, when first needed, with the time it was first sent. The HTTP verticle's event loop only.
 */
final class RecentUpdates {

    /**
     * About a minute of updates at the default push rate: each is at most {@code maxLivePoints} points (4 by default),
     * so a run's are a few thousand points, under a megabyte.
     */
    static final int KEPT = 1_200;
    /** A viewer at most this many updates behind is sent them again, as they were; further behind, one message. */
    static final int REPLAYED = 16;
    /** Catch-up messages made since the last update, held for the viewers behind from the same iteration. */
    static final int MAX_MADE = 32;

    /** One update and its encodings, made when first needed (only for the {@link #REPLAYED} newest). */
    private static final class Sent {
        final MetricsUpdate update;
        final long time;
        Buffer[] encoded = new Buffer[Encoding.values().length];

        Sent(MetricsUpdate update, long time) {
            this.update = update;
            this.time = time;
        }

        Buffer in(Encoding encoding) {
            if (encoded == null) {
                return Messages.metrics(update, time, encoding);
            }
            int e = encoding.ordinal();
            if (encoded[e] == null) {
                encoded[e] = Messages.metrics(update, time, encoding);
            }
            return encoded[e];
        }
    }

    private final ArrayDeque<Sent> kept = new ArrayDeque<>();
    /** The catch-ups made since the last update, by start, purpose and encoding. */
    private final Map<String, Buffer> made = new HashMap<>();

    /** Keeps {@code update}, sent at {@code time} (epoch ms); the oldest kept gives way past {@link #KEPT}. */
    void add(MetricsUpdate update, long time) {
        Sent last = kept.peekLast();
        if (last != null && last.update.to() != update.from()) {
            kept.clear();
        }
        if (kept.size() == KEPT) {
            kept.poll();
        }
        kept.add(new Sent(update, time));
        made.clear();
        if (kept.size() > REPLAYED) {
            // Never replayed again: its encodings go (the updates' points stay, for catch-ups).
            Iterator<Sent> older = kept.descendingIterator();
            for (int i = 0; i <= REPLAYED && older.hasNext(); i++) {
                Sent sent = older.next();
                if (i == REPLAYED) {
                    sent.encoded = null;
                }
            }
        }
    }

    /** The update sent last, in {@code encoding}, or null. */
    Buffer last(Encoding encoding) {
        Sent last = kept.peekLast();
        return last == null ? null : last.in(encoding);
    }

    /**
     * What brings a viewer behind from iteration {@code from} up to the last update's end, in {@code encoding}: the
     * updates from the one that starts at {@code from}, again, when at most {@link #REPLAYED} of them; else one
     * {@code history} message of {@code runId}'s points they carried (at most {@code maxPoints} of them, downsampled
     * past that; {@code purpose} as a read's would say), made once for every viewer behind from there. Null when no
     * kept update starts at {@code from} (the viewer is further behind than they reach, or between two updates'
     * starts).
     */
    List<Buffer> since(String runId, long from, String purpose, Encoding encoding, int maxPoints) {
        int behind = 0;
        Sent first = null;
        for (Iterator<Sent> newest = kept.descendingIterator(); newest.hasNext(); ) {
            Sent sent = newest.next();
            behind++;
            if (sent.update.from() == from) {
                first = sent;
                break;
            }
        }
        if (first == null) {
            return null;
        }
        if (behind <= REPLAYED) {
            List<Buffer> again = new ArrayList<>(behind);
            Iterator<Sent> updates = kept.descendingIterator();
            for (int i = 0; i < behind; i++) {
                again.add(0, updates.next().in(encoding));
            }
            return again;
        }
        String key = from + "/" + purpose + "/" + encoding.wire() + "/" + maxPoints;
        Buffer message = made.get(key);
        if (message == null) {
            message = catchUp(runId, behind, purpose, encoding, maxPoints);
            if (made.size() < MAX_MADE) {
                made.put(key, message);
            }
        }
        return List.of(message);
    }

    /** The points of the newest {@code updates} kept, as one history message. */
    private Buffer catchUp(String runId, int updates, String purpose, Encoding encoding, int maxPoints) {
        List<MetricsUpdate> range = new ArrayList<>(updates);
        Iterator<Sent> newest = kept.descendingIterator();
        for (int i = 0; i < updates; i++) {
            range.add(0, newest.next().update);
        }
        MetricsUpdate all = MetricsUpdate.joined(range);
        Points shown = Downsample.of(all.points(), maxPoints);
        return Messages.history(runId, all.from(), all.to(), shown, all.downsampled() || shown != all.points(), purpose,
                encoding);
    }

    /** Where the kept updates end: the next update's start, or -1 when none is kept. */
    long to() {
        Sent last = kept.peekLast();
        return last == null ? -1 : last.update.to();
    }
}
