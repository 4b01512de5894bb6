package io.trainscope.server;

import io.trainscope.server.access.AccessPolicy;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The access check in front of the REST API and {@code /metrics} (docs/security.md): reads need the right to
 * watch (everyone's, unless {@code --private}), writes the right to control. {@code /health} and the page's
 * files are not behind it: a load balancer needs the one, and the page must load to ask for a token.
 */
final class AccessRoutes {

    private final AccessPolicy policy;
    private final ServerMetrics metrics;

    AccessRoutes(AccessPolicy policy, ServerMetrics metrics) {
        this.policy = policy;
        this.metrics = metrics;
    }

    /** Mounted before the routes it guards. */
    void mount(Router router) {
        router.get("/api/access").handler(this::access);
        router.route("/api/*").handler(this::guard);
        router.route("/metrics").handler(this::guard);
    }

    /**
     * {@code GET /api/access}, open to all: what the request's {@code Authorization} earns. A browser cannot
     * see why a WebSocket handshake was refused, so the page asks here whether it needs a token.
     */
    private void access(RoutingContext ctx) {
        AccessPolicy.Level level = policy.http(ctx.request());
        String presented = AccessPolicy.presented(ctx.request());
        ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(Messages.encode(out -> {
            out.writeStartObject();
            out.writeBooleanField("watch", level != AccessPolicy.Level.NONE);
            out.writeBooleanField("control", level == AccessPolicy.Level.CONTROL);
            out.writeBooleanField("tokenRequired", policy.tokenRequired());
            out.writeBooleanField("private", policy.privateMode());
            if (level != AccessPolicy.Level.CONTROL) {
                out.writeStringField("reason", AccessPolicy.why(presented));
            }
            out.writeEndObject();
        }));
    }

    private void guard(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        boolean read = request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD;
        AccessPolicy.Level level = policy.http(request);
        if (level == AccessPolicy.Level.CONTROL || (read && level == AccessPolicy.Level.WATCH)) {
            ctx.next();
            return;
        }
        String presented = AccessPolicy.presented(request);
        String needs = read ? "this server is private: reading needs the token" : "changing runs needs the control token";
        metrics.refused("token");
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"trainscope\"");
        // The connection stays open: the body of a refused write is discarded as it arrives (Vert.x Web does
        // not pause requests), and the next request on the connection is served (AccessRulesTest).
        RestApi.error(ctx, presented == null ? 401 : 403,
                needs + " (" + AccessPolicy.why(presented) + "): send Authorization: Bearer <token>", null);
    }
}
