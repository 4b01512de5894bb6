package io.trainscope.server.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One connected WebSocket and its own choices: which runs it follows, and where it is behind on them (its join
 * history not sent yet, or updates it missed while its socket could not take more). Touched only on the HTTP
 * verticle's event loop.
 */
final class Viewer {

    final ServerWebSocket socket;
    final boolean mayControl;
    /** How it asked to be sent points. */
    final Encoding encoding;
    /** Follow every run that starts (the default), besides those named in {@link #followed}. */
    boolean autoFollow = true;
    final Set<String> followed = new HashSet<>();
    /** The runs it is behind on: their live updates skip it until it has been sent what comes before them. */
    final Map<String, CatchUp> behind = new HashMap<>();
    /** Since when (System.nanoTime) its socket has been full, or -1: see ViewerHub's stall timeout. */
    long fullSince = -1;
    /** The histories it asked for, and its budget for them. */
    final HistoryRequests.Lane history;

    Viewer(ServerWebSocket socket, boolean mayControl, Encoding encoding, HistoryRequests.Lane history) {
        this.socket = socket;
        this.mayControl = mayControl;
        this.encoding = encoding;
        this.history = history;
    }

    boolean follows(String runId) {
        return followed.contains(runId);
    }

    boolean behind(String runId) {
        return behind.containsKey(runId);
    }

    /**
     * Where a viewer is behind on one run, caught up by reads off the event loop ({@link HistoryRequests}) until it
     * reaches the run's live updates.
     */
    static final class CatchUp {
        /** At most this many of the run's states wait for the points before them; older ones give way to newer. */
        static final int MAX_HELD_STATES = 8;

        /** The first iteration not sent to the viewer. */
        long from;
        /** Why the next read is sent: {@code join} the first time, {@code catchUp} after. */
        String purpose;
        /** The viewer asked for it ({@code follow}): the first read counts against its budgets. */
        boolean charged;
        /** The end of the read in flight, or -1 when none is. */
        long reading = -1;
        /** The run's states that came while the viewer was behind: sent once it has caught up, never before their points. */
        final ArrayDeque<Buffer> states = new ArrayDeque<>();

        CatchUp(long from, String purpose, boolean charged) {
            this.from = from;
            this.purpose = purpose;
            this.charged = charged;
        }

        void hold(Buffer state) {
            if (states.size() == MAX_HELD_STATES) {
                states.poll();
            }
            states.add(state);
        }
    }
}
