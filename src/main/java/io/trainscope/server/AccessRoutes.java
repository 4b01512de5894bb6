package io.trainscope.server;

import io.trainscope.server.access.AccessPolicy;
import io.trainscope.server.access.HostPolicy;
import io.trainscope.server.access.OriginPolicy;
import io.trainscope.server.access.SecurityHeaders;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The access checks in front of everything the server answers (docs/security.md):
 * <ul>
 *   <li>every request: the security headers, and a {@code Host} this server answers for (DNS rebinding);</li>
 *   <li>the REST API and {@code /metrics}: reads need the right to watch (everyone's, unless {@code --private}),
 *       writes the right to control, and a write must come from no page or this server's own ({@code Origin}) with
 *       a JSON body ({@code Content-Type: application/json}), so that no page of another site can send one: an
 *       HTML form can post {@code text/plain} across sites, never {@code application/json}.</li>
 * </ul>
 * {@code /health} and the page's files need no token: a load balancer needs the one, and the page must load to ask
 * for a token. The WebSocket handshake's own checks are in {@link HttpVerticle}.
 */
final class AccessRoutes {

    private final AccessPolicy policy;
    private final OriginPolicy origins;
    private final HostPolicy hosts;
    private final ServerMetrics metrics;

    AccessRoutes(AccessPolicy policy, OriginPolicy origins, HostPolicy hosts, ServerMetrics metrics) {
        this.policy = policy;
        this.origins = origins;
        this.hosts = hosts;
        this.metrics = metrics;
    }

    /** Mounted before every other route. */
    void mount(Router router) {
        router.route().handler(SecurityHeaders::add);
        router.route().handler(this::host);
        router.get("/api/access").handler(this::access);
        router.route("/api/*").handler(this::guard);
        router.route("/metrics").handler(this::guard);
    }

    private void host(RoutingContext ctx) {
        HostAndPort authority = ctx.request().authority();
        if (authority != null && hosts.allowed(authority.host())) {
            ctx.next();
            return;
        }
        metrics.refused("host");
        RestApi.error(ctx, authority == null ? 400 : 403, authority == null ? "a request needs a Host header"
                : "requests for host " + authority.host() + " are refused: this server answers for " + hosts.describe()
                + " (a page on another name that resolves here may be a DNS rebinding attack); name others with "
                + "--allowed-host", null);
    }

    /**
     * {@code GET /api/access}, open to all: what the request's {@code Authorization} earns. A browser cannot
     * see why a WebSocket handshake was refused, so the page asks here whether it needs a token.
     */
    private void access(RoutingContext ctx) {
        AccessPolicy.Level level = policy.http(ctx.request());
        if (level == AccessPolicy.Level.THROTTLED) {
            throttled(ctx);
            return;
        }
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
        if (!read && !origins.allowed(request)) {
            metrics.refused("origin");
            RestApi.error(ctx, 403, "writes from origin " + request.getHeader(HttpHeaders.ORIGIN) + " are refused: only "
                    + "this server's own pages (and --allowed-origin) and clients that send no Origin may change runs", null);
            return;
        }
        AccessPolicy.Level level = policy.http(request);
        if (level == AccessPolicy.Level.THROTTLED) {
            throttled(ctx);
            return;
        }
        if (level == AccessPolicy.Level.CONTROL || (read && level == AccessPolicy.Level.WATCH)) {
            if (!read && !jsonOrNothing(request)) {
                metrics.refused("contentType");
                RestApi.error(ctx, 415, "a write's body must be JSON, sent with Content-Type: application/json (got "
                        + request.getHeader(HttpHeaders.CONTENT_TYPE) + ")", null);
                return;
            }
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

    /** 429 to an address that presented too many wrong tokens (docs/security.md). */
    private void throttled(RoutingContext ctx) {
        metrics.refused("throttled");
        long wait = policy.retryAfterMillis(ctx.request());
        ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, (wait + 999) / 1000)));
        RestApi.error(ctx, 429, AccessPolicy.throttledMessage(wait), "token");
    }

    /**
     * No {@code Content-Type} at all is taken only with no body (a {@code stop} from a script); else it must be
     * {@code application/json}, parameters such as {@code charset} aside.
     */
    static boolean jsonOrNothing(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null) {
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            return !request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
                    && (length == null || length.trim().equals("0"));
        }
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().equalsIgnoreCase("application/json");
    }
}
