package io.trainscope.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.trainscope.server.access.Limits;
import io.trainscope.spec.StrictJson;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The JSON bodies of REST writes, received within bounds and parsed off the event loop (docs/security.md):
 * <ul>
 *   <li>a body must say how long it is ({@code Content-Length}; 411 otherwise) and be at most
 *       {@link Limits#maxBodyBytes()} (413);</li>
 *   <li>all bodies being received at once reserve at most {@link Limits#maxBodiesBytes()} (503 past it), so that
 *       clients holding bodies open, each a byte short, cannot fill the heap;</li>
 *   <li>a body must arrive within {@link Limits#bodyTimeoutMillis()} (408, and the connection is closed);</li>
 *   <li>it is parsed by {@link StrictJson} on a worker: a 12 MB body of a million keys took the event loop a
 *       second.</li>
 * </ul>
 * The route's next handlers find the parsed body with {@link #of}. The HTTP verticle's event loop only.
 */
final class JsonBodies {

    private static final String PARSED = "trainscope.body";

    private final Vertx vertx;
    private final Limits limits;
    private final ServerMetrics metrics;
    private long receiving;

    JsonBodies(Vertx vertx, Limits limits, ServerMetrics metrics) {
        this.vertx = vertx;
        this.limits = limits;
        this.metrics = metrics;
    }

    /**
     * Bounds, receives and parses the bodies of the writes under {@code path}: three routes, because Vert.x takes a
     * BodyHandler only before a route's other handlers.
     */
    void mount(Router router, String path) {
        writes(router.route(path)).handler(this::admit);
        writes(router.route(path)).handler(BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes()));
        writes(router.route(path)).handler(this::parse);
    }

    private static Route writes(Route route) {
        return route.method(HttpMethod.POST).method(HttpMethod.PATCH).method(HttpMethod.PUT).method(HttpMethod.DELETE);
    }

    /** The request's JSON body, a {@link MissingNode} when it had none. */
    static JsonNode of(RoutingContext ctx) {
        JsonNode body = ctx.get(PARSED);
        return body == null ? MissingNode.getInstance() : body;
    }

    private void admit(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        long length = contentLength(request);
        if (length == 0) {
            ctx.next();
            return;
        }
        if (length < 0) {
            refuse(ctx, 411, "a body needs a Content-Length header (chunked bodies are not taken)", false);
            return;
        }
        if (length > limits.maxBodyBytes()) {
            metrics.refused("body");
            refuse(ctx, 413, "the body is larger than " + limits.maxBodyBytes() + " bytes (--max-body-bytes)", true);
            return;
        }
        if (receiving + length > limits.maxBodiesBytes()) {
            metrics.refused("body");
            ctx.response().putHeader("Retry-After", "5");
            refuse(ctx, 503, "the server is receiving " + limits.maxBodiesBytes() + " bytes of bodies already "
                    + "(--max-bodies-bytes); try again in a few seconds", true);
            return;
        }
        receiving += length;
        long timer = vertx.setTimer(limits.bodyTimeoutMillis(), id -> {
            if (!ctx.response().ended()) {
                metrics.refused("body");
                refuse(ctx, 408, "the body did not arrive within " + limits.bodyTimeoutMillis() / 1000.0
                        + " s (--body-timeout)", true);
            }
        });
        ctx.addEndHandler(done -> {
            receiving -= length;
            vertx.cancelTimer(timer);
        });
        ctx.next();
    }

    private void parse(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            ctx.next();
            return;
        }
        vertx.executeBlocking(() -> StrictJson.read(body.getBytes()), false).onComplete(parsed -> {
            if (ctx.response().ended()) {
                return;
            }
            if (parsed.failed()) {
                Throwable e = parsed.cause();
                RestApi.error(ctx, 400, e instanceof JsonProcessingException j ? Messages.malformed(j)
                        : "the body could not be read: " + e.getMessage(), null);
                return;
            }
            ctx.put(PARSED, parsed.result());
            ctx.next();
        });
    }

    /** The declared length: 0 for no body, -1 for one of unknown length (chunked). */
    private static long contentLength(HttpServerRequest request) {
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared == null) {
            return request.headers().contains(HttpHeaders.TRANSFER_ENCODING) ? -1 : 0;
        }
        try {
            return Math.max(-1, Long.parseLong(declared.trim()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * How long, and for how many bytes at most, a refused body is read and dropped before its connection closes: a
     * client still sending it would otherwise be reset mid-body (curl's "connection reset", a broken pipe) and never
     * see the answer that says why. As web servers do (nginx's lingering close).
     */
    static final long LINGER_MILLIS = 2_000;
    static final long LINGER_BYTES = 16L << 20;

    /**
     * Answers; when the body will not be read ({@code close}), the connection is closed once the client has sent
     * the body (dropped unread, within {@link #LINGER_MILLIS} and {@link #LINGER_BYTES}), so that it sees the answer.
     */
    private void refuse(RoutingContext ctx, int code, String message, boolean close) {
        if (close) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        io.vertx.core.Future<Void> sent = RestApi.error(ctx, code, message, null);
        if (close) {
            sent.onComplete(v -> linger(ctx.request()));
        }
    }

    /** Drops what is left of {@code request}'s body, then closes its connection: at its end, or at the bounds. */
    private void linger(HttpServerRequest request) {
        if (request.isEnded()) {
            request.connection().close();
            return;
        }
        long timer = vertx.setTimer(LINGER_MILLIS, id -> request.connection().close());
        long[] left = {LINGER_BYTES};
        request.handler(chunk -> {
            left[0] -= chunk.length();
            if (left[0] <= 0 && vertx.cancelTimer(timer)) {
                request.connection().close();
            }
        });
        request.endHandler(end -> {
            if (vertx.cancelTimer(timer)) {
                request.connection().close();
            }
        });
        request.exceptionHandler(failed -> vertx.cancelTimer(timer));
        request.resume();
    }
}
