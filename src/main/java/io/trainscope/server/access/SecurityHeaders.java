package io.trainscope.server.access;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers on every response that tell a browser what the page may do, so that an injected script or a page that
 * frames ours gets nothing: the page loads scripts, styles and connections from its own origin only (Chart.js is
 * served with it, nothing comes from a CDN), it may not be framed (clickjacking the Stop button), content types are
 * taken as sent, and no URL (which may carry {@code ?token=}) is passed on as a referrer.
 */
public final class SecurityHeaders {

    /**
     * {@code 'self'} covers {@code ws:} and {@code wss:} to the page's own host (CSP Level 3). {@code data:} images
     * are the page's icon; {@code blob:} the charts' PNG downloads.
     */
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    /** The first handler of every route. */
    public static void add(RoutingContext ctx) {
        MultiMap headers = ctx.response().headers();
        headers.set("Content-Security-Policy", POLICY);
        headers.set("X-Frame-Options", "DENY");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        ctx.next();
    }
}
