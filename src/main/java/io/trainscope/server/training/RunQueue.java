package io.trainscope.server.training;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The runs waiting for a training slot, oldest first, each with its checked spec (what it will be made from) and
 * the size of its spec as given. Bounded in runs and in spec bytes ({@code --max-queued}): a checked spec holds its
 * inline examples, so a queue of runs sent with 16 MB bodies is held to {@link #MAX_BYTES} in all. Places are
 * reserved for a start's runs before they are prepared, so that two starts at once cannot overfill it. Training
 * verticle context only.
 */
final class RunQueue {

    /** The most spec text the queued runs may hold between them. */
    static final long MAX_BYTES = 64L << 20;

    /** A queued run and what it will be made from when a slot frees. */
    record Entry(Run run, RunFactory.Checked checked, long bytes) {
    }

    private final int maxRuns;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private long bytes;
    private int reservedRuns;
    private long reservedBytes;

    RunQueue(int maxRuns) {
        this.maxRuns = maxRuns;
    }

    /** Why {@code runs} more runs of {@code specBytes} in all cannot be queued now, or null when they can. */
    String refusal(int runs, long specBytes) {
        int held = entries.size() + reservedRuns;
        if (held + runs > maxRuns) {
            return "the queue holds at most " + maxRuns + " runs (--max-queued) and has room for " + Math.max(0, maxRuns - held)
                    + (runs == 1 ? "; this run" : "; these " + runs) + " would wait beyond it: try again when runs have ended";
        }
        if (bytes + reservedBytes + specBytes > MAX_BYTES) {
            return "the queued runs' specs may hold at most " + (MAX_BYTES >> 20) + " MB between them, and these would"
                    + " make " + ((bytes + reservedBytes + specBytes) >> 20) + " MB: try again when runs have ended";
        }
        return null;
    }

    /** Holds places for runs that will be {@link #add}ed (or {@link #release}d) once prepared. */
    void reserve(int runs, long specBytes) {
        reservedRuns += runs;
        reservedBytes += specBytes;
    }

    void release(int runs, long specBytes) {
        reservedRuns -= runs;
        reservedBytes -= specBytes;
    }

    void add(Run run, RunFactory.Checked checked, long specBytes) {
        entries.addLast(new Entry(run, checked, specBytes));
        bytes += specBytes;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int size() {
        return entries.size();
    }

    /** The oldest queued run, taken out of the queue; null when none. */
    Entry poll() {
        Entry first = entries.pollFirst();
        if (first != null) {
            bytes -= first.bytes();
        }
        return first;
    }

    /** Takes {@code run} out of the queue (stopped or deleted while waiting); false when it was not in it. */
    boolean remove(Run run) {
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (entry.run() == run) {
                it.remove();
                bytes -= entry.bytes();
                return true;
            }
        }
        return false;
    }
}
