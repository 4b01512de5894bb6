package io.trainscope.server;

import io.vertx.core.http.ServerWebSocket;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One connected WebSocket and its own choices: which runs it follows, and what it missed while its socket
 * could not take more. Touched only on the HTTP verticle's event loop.
 */
final class Viewer {

    final ServerWebSocket socket;
    final boolean mayControl;
    /** Follow every run that starts (the default), besides those named in {@link #followed}. */
    boolean autoFollow = true;
    final Set<String> followed = new HashSet<>();
    /** Per run, the first iteration this viewer has not been sent because its write queue was full. */
    final Map<String, Long> missedFrom = new HashMap<>();
    /** The histories it asked for, and its budget for them. */
    final HistoryRequests.Lane history;

    Viewer(ServerWebSocket socket, boolean mayControl, HistoryRequests.Lane history) {
        this.socket = socket;
        this.mayControl = mayControl;
        this.history = history;
    }

    boolean follows(String runId) {
        return followed.contains(runId);
    }

    boolean behind(String runId) {
        return missedFrom.containsKey(runId);
    }
}
