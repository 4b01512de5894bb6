package io.trainscope.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Bounds the server's TCP connections (docs/security.md): at most {@code max} at once (one more is closed as
 * soon as it is accepted, so that no client can take every file descriptor; see
 * {@link io.trainscope.server.access.ConnectionBudget}), and a new connection must send its first request's
 * headers within {@code headerTimeoutMillis}. A connection idle past the server's idle timeout is closed by
 * Vert.x itself. The HTTP verticle's event loop only.
 */
final class Connections {

    private final Vertx vertx;
    private final int max;
    private final long headerTimeoutMillis;
    private final ServerMetrics metrics;
    /** Connections still waiting for their first request's headers, with the timer that closes them. */
    private final Map<HttpConnection, Long> awaitingFirstRequest = new IdentityHashMap<>();
    private int open;

    Connections(Vertx vertx, int max, long headerTimeoutMillis, ServerMetrics metrics) {
        this.vertx = vertx;
        this.max = max;
        this.headerTimeoutMillis = headerTimeoutMillis;
        this.metrics = metrics;
    }

    void opened(HttpConnection connection) {
        if (open >= max) {
            metrics.refused("connections");
            connection.close();
            return;
        }
        open++;
        long timer = vertx.setTimer(headerTimeoutMillis, id -> {
            if (awaitingFirstRequest.remove(connection) != null) {
                metrics.refused("headerTimeout");
                connection.close();
            }
        });
        awaitingFirstRequest.put(connection, timer);
        connection.closeHandler(closed -> {
            open--;
            Long pending = awaitingFirstRequest.remove(connection);
            if (pending != null) {
                vertx.cancelTimer(pending);
            }
        });
    }

    /** A request's headers have arrived. */
    void request(HttpServerRequest request) {
        Long pending = awaitingFirstRequest.remove(request.connection());
        if (pending != null) {
            vertx.cancelTimer(pending);
        }
    }

    int open() {
        return open;
    }

    int max() {
        return max;
    }
}
