package io.trainscope.server;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.trainscope.server.access.AccessPolicy;
import io.trainscope.server.access.OriginPolicy;
import io.trainscope.server.access.RateLimiter;
import io.trainscope.server.access.SecurityConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The web side, on one event loop: the page ({@code webroot/}, packaged in the jar, with Chart.js unpacked
 * from its webjar at build time), the WebSocket {@code /ws}, the REST API and {@code /health}. It learns about runs only from the
 * event bus ({@link Addresses#STATE}, {@link Addresses#METRICS}) and reads their histories from the
 * {@link RunRegistry}.
 */
public final class HttpVerticle extends VerticleBase {

    static final long SHUTDOWN_GRACE_MS = 500;
    /** The page, with Chart.js under {@code webjars/}: {@code webroot/} of the jar or of the classpath. */
    static final String WEBROOT = "webroot";

    private final ServerConfig config;
    private final RunRegistry registry;
    private final SecurityConfig security;
    private final ServerMetrics metrics;
    private final RunStorage storage;
    private HttpServer server;
    private ViewerHub hub;
    /** Handshakes accepted but not yet viewers: counted against {@code --max-viewers} too. */
    private int upgrading;

    HttpVerticle(ServerConfig config, RunRegistry registry, SecurityConfig security, ServerMetrics metrics,
                 RunStorage storage) {
        this.config = config;
        this.registry = registry;
        this.security = security;
        this.metrics = metrics;
        this.storage = storage;
    }

    @Override
    public Future<?> start() {
        hub = new ViewerHub(vertx, config, registry, metrics);
        ViewerRequests requests = new ViewerRequests(hub, registry, vertx.eventBus(), config);
        AccessPolicy access = new AccessPolicy(config.token(), security.privateMode());
        OriginPolicy origins = new OriginPolicy(security.allowedOrigins());
        metrics.bind(registry, hub::count);
        vertx.eventBus().<RunSnapshot>localConsumer(Addresses.STATE, message -> hub.onState(message.body()));
        vertx.eventBus().<MetricsUpdate>localConsumer(Addresses.METRICS, message -> hub.onMetrics(message.body()));
        vertx.eventBus().<String>localConsumer(Addresses.DELETED, message -> hub.onDeleted(message.body()));

        Router router = Router.router(vertx);
        router.route("/ws").handler(ctx -> upgrade(ctx, access, origins, requests));
        new AccessRoutes(access, metrics).mount(router);
        router.get("/metrics").handler(metrics.scrape());
        new RestApi(registry, vertx.eventBus(), security.limits().maxBodyBytes(), metrics, storage).mount(router);
        router.route("/*").handler(StaticHandler.create(WEBROOT));

        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setMaxWebSocketMessageSize(config.maxMessageBytes())
                .setMaxWebSocketFrameSize(security.limits().maxFrameBytes())
                // Compression would cost a deflate per viewer per update, undoing the shared encoding.
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false);
        if (security.tls() != null) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(security.tls().certificate().toString())
                    .setKeyPath(security.tls().key().toString()));
        }
        // The page's folder is unpacked from the jar on first use: here, on a worker, not at the first visit on
        // the event loop (a couple of seconds on a loaded machine when the whole folder was unpacked there).
        return vertx.executeBlocking(() -> vertx.fileSystem().existsBlocking(WEBROOT + "/index.html"), false)
                .compose(found -> vertx.createHttpServer(options).requestHandler(router).listen())
                .onSuccess(s -> server = s);
    }

    /**
     * Closes open WebSockets promptly: Vert.x would otherwise wait up to 30 s for viewers to leave, and a
     * dashboard's viewers never leave on their own.
     */
    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.actualPort();
    }

    private void upgrade(RoutingContext ctx, AccessPolicy access, OriginPolicy origins, ViewerRequests requests) {
        HttpServerRequest request = ctx.request();
        if (!origins.allowed(request)) {
            metrics.refused("origin");
            RestApi.error(ctx, 403, "WebSocket connections from origin " + request.getHeader("Origin")
                    + " are refused: only this server's own pages (and --allowed-origin) may connect", null);
            return;
        }
        AccessPolicy.Level level = access.socket(request);
        if (level == AccessPolicy.Level.NONE) {
            String presented = AccessPolicy.socketToken(request);
            metrics.refused("token");
            RestApi.error(ctx, presented == null ? 401 : 403, "this server is private: watching needs the token ("
                    + AccessPolicy.why(presented) + "); connect to /ws?token=<token>", "token");
            return;
        }
        if (hub.count() + upgrading >= security.limits().maxViewers()) {
            metrics.refused("viewers");
            ctx.response().putHeader("Retry-After", "30");
            RestApi.error(ctx, 503, "the server has its maximum of " + security.limits().maxViewers()
                    + " viewers (--max-viewers); try again later", null);
            return;
        }
        Map<String, Long> after;
        try {
            after = parseAfter(request.params().getAll("after"));
        } catch (IllegalArgumentException e) {
            RestApi.error(ctx, 400, e.getMessage(), "after");
            return;
        }
        boolean mayControl = level == AccessPolicy.Level.CONTROL;
        upgrading++;
        request.toWebSocket().andThen(done -> upgrading--).onSuccess(socket -> {
            Viewer viewer = hub.join(socket, mayControl, after);
            RateLimiter rate = new RateLimiter(security.limits().messagesPerSecond(),
                    security.limits().messageBurst(), System.nanoTime());
            socket.textMessageHandler(text -> {
                if (admitted(rate, viewer)) {
                    requests.handle(viewer, text);
                }
            });
            socket.binaryMessageHandler(bytes -> {
                if (admitted(rate, viewer)) {
                    hub.send(viewer, Messages.error("binary messages are not understood; send JSON text", null, null));
                }
            });
            socket.exceptionHandler(failure -> hub.send(viewer, Messages.error(failure.getMessage(), null, null)));
            socket.closeHandler(closed -> hub.leave(viewer));
        });
    }

    /**
     * The per-connection message rate (docs/security.md): over it a message is answered with an error and
     * not acted on, and a client that keeps flooding is disconnected (1008). While a viewer's socket is full
     * (it does not read what it is sent) its requests are dropped unanswered, so that no request can make the
     * server queue answers for it without bound.
     */
    private boolean admitted(RateLimiter rate, Viewer viewer) {
        RateLimiter.Verdict verdict = rate.admit(System.nanoTime());
        boolean unread = !viewer.socket.isClosed() && viewer.socket.writeQueueFull();
        if (verdict == RateLimiter.Verdict.ADMIT && !unread) {
            return true;
        }
        metrics.refused(unread ? "unread" : "rate");
        if (verdict == RateLimiter.Verdict.CLOSE) {
            viewer.socket.close((short) 1008, "too many messages: over " + security.limits().rate()
                    + " a second for too long");
        } else if (!unread) {
            hub.send(viewer, Messages.error("too many messages: at most " + security.limits().rate()
                    + " a second (bursts of " + security.limits().messageBurst() + "); this one was not acted on",
                    null, null));
        }
        return false;
    }

    /**
     * {@code ?after=RUN:ITERATION} (repeatable, or comma-separated): a reconnecting viewer already holds
     * {@code RUN} up to {@code ITERATION}, so its history starts just after.
     */
    static Map<String, Long> parseAfter(Iterable<String> values) {
        Map<String, Long> after = new HashMap<>();
        for (String value : values) {
            for (String part : value.split(",")) {
                int colon = part.lastIndexOf(':');
                try {
                    if (colon <= 0) {
                        throw new NumberFormatException();
                    }
                    long iteration = Long.parseLong(part.substring(colon + 1));
                    if (iteration < -1) {
                        throw new NumberFormatException();
                    }
                    after.put(part.substring(0, colon), iteration);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("after must be RUN:ITERATION, got \"" + part + "\"");
                }
            }
        }
        return after;
    }
}
