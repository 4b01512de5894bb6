package io.trainscope.store;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The logs of ended runs that are open (their {@link LogData} in memory), least recently read first. When a
 * read takes their number past the limit, the least recently read are closed, each only if no read of it is in
 * progress (see {@link LogSlot#closeIfIdle()}); one being read stays open and is tried again at the next read.
 * So a server that shows thousands of past runs holds at most {@code limit} summaries, plus one per read in
 * progress. A log being written is never here.
 *
 * <p>A log is added only while its reader holds its read lock, and removed only while its write lock is held
 * (see {@link LogSlot}), so a log listed here is always open and not being written. This class never takes a
 * log's lock while holding its own, and then only tries it ({@code tryLock}), so it cannot deadlock with them.
 */
final class OpenLogs {

    private final int limit;
    // Access order: iteration starts at the least recently read.
    private final LinkedHashMap<LogSlot, Boolean> logs = new LinkedHashMap<>(16, 0.75f, true);

    OpenLogs(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("at least one ended run's log must stay open, got " + limit);
        }
        this.limit = limit;
    }

    /** Records a read of {@code log}, open and ended, and closes the least recently read ones past the limit. */
    void used(LogSlot log) {
        List<LogSlot> excess;
        synchronized (logs) {
            logs.put(log, Boolean.TRUE);
            if (logs.size() <= limit) {
                return;
            }
            excess = new ArrayList<>(logs.size() - limit);
            Iterator<LogSlot> eldest = logs.keySet().iterator();
            while (excess.size() < logs.size() - limit) {
                excess.add(eldest.next());
            }
        }
        for (LogSlot old : excess) {
            old.closeIfIdle();
        }
    }

    /** Called with {@code log}'s write lock held, as it is closed or starts being written. */
    void forget(LogSlot log) {
        synchronized (logs) {
            logs.remove(log);
        }
    }

    /** How many ended runs' logs are open. */
    int size() {
        synchronized (logs) {
            return logs.size();
        }
    }
}
