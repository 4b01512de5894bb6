package io.trainscope.server.web;

import io.trainscope.server.ServerConfig;
import io.trainscope.server.access.AccessPolicy;
import io.trainscope.server.access.ConnectionBudget;
import io.trainscope.server.access.HostPolicy;
import io.trainscope.server.access.Limits;
import io.trainscope.server.access.OriginPolicy;
import io.trainscope.server.access.RateLimiter;
import io.trainscope.server.access.SecurityConfig;
import io.trainscope.server.bus.Addresses;
import io.trainscope.server.bus.MetricsUpdate;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.server.bus.RunsView;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The web side, on one event loop: the page ({@code webroot/}, packaged in the jar, with Chart.js unpacked
 * from its webjar at build time), the WebSocket {@code /ws}, the REST API and {@code /health}. It learns about runs only from the
 * event bus ({@link Addresses#STATE}, {@link Addresses#METRICS}) and reads their histories from the
 * {@link RunsView}.
 */
public final class HttpVerticle extends VerticleBase {

    /** Each connection's kernel send buffer. */
    static final int SEND_BUFFER_BYTES = 256 * 1024;

    static final long SHUTDOWN_GRACE_MS = 500;
    /**
     * TLS 1.2 and 1.3 only, and of TLS 1.2 only ephemeral key exchange with authenticated encryption: no static RSA
     * (no forward secrecy) and no CBC with SHA-1 (the padding-oracle family). Every current browser and client has
     * these. TLS 1.3's own suites are all AEAD.
     */
    static final Set<String> TLS_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
    static final List<String> TLS_CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private final ServerConfig config;
    private final RunsView registry;
    private final SecurityConfig security;
    private final ServerMetrics metrics;
    private HttpServer server;
    private ViewerHub hub;
    private Connections connections;
    private Page page;
    /** Handshakes accepted but not yet viewers: counted against {@code --max-viewers} too. */
    private int upgrading;

    public HttpVerticle(ServerConfig config, RunsView registry, SecurityConfig security, ServerMetrics metrics) {
        this.config = config;
        this.registry = registry;
        this.security = security;
        this.metrics = metrics;
    }

    @Override
    public Future<?> start() {
        // The page's folder is unpacked from the jar on first use: here, on a worker, not at the first visit on
        // the event loop (a couple of seconds on a loaded machine when the whole folder was unpacked there). This
        // machine's own names (a DNS query beyond loopback) are looked up there too.
        return vertx.executeBlocking(() -> {
            page = Page.open(config.webroot());
            return HostPolicy.forBinding(config.host(), HostPolicy.loopback(config.host()), security.allowedHosts());
        }, false).compose(this::listen).onSuccess(s -> server = s);
    }

    private Future<HttpServer> listen(HostPolicy hosts) {
        hub = new ViewerHub(vertx, config, registry, metrics, security);
        ViewerRequests requests = new ViewerRequests(hub, registry, vertx.eventBus(), config);
        AccessPolicy access = new AccessPolicy(config.token(), security.privateMode(), security.clock());
        OriginPolicy origins = new OriginPolicy(security.allowedOrigins());
        Limits limits = security.limits();
        metrics.bind(registry, hub::count);
        vertx.eventBus().<RunSnapshot>localConsumer(Addresses.STATE, message -> hub.onState(message.body()));
        vertx.eventBus().<MetricsUpdate>localConsumer(Addresses.METRICS, message -> hub.onMetrics(message.body()));
        vertx.eventBus().<String>localConsumer(Addresses.DELETED, message -> hub.onDeleted(message.body()));

        Router router = Router.router(vertx);
        new AccessRoutes(access, origins, hosts, metrics).mount(router);
        router.route("/ws").handler(ctx -> upgrade(ctx, access, origins, requests));
        router.get("/metrics").handler(metrics.scrape());
        new RestApi(registry, vertx.eventBus(), new JsonBodies(vertx, limits, metrics), limits.maxBodyBytes(), metrics)
                .mount(router);
        router.route("/*").handler(StaticHandler.create(FileSystemAccess.ROOT, page.folder().toString()));

        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setMaxWebSocketMessageSize(config.maxMessageBytes())
                .setMaxWebSocketFrameSize(limits.maxFrameBytes())
                // Compression would cost a deflate per viewer per update, undoing the shared encoding.
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                // Neither read nor written for this long: closed. Viewers are pinged (ViewerHub), idle sockets not.
                .setIdleTimeout((int) limits.idleTimeoutMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                // What a viewer that stops reading can hold in the kernel until the stall timeout closes it: left to
                // autotuning, up to tcp_wmem's 4 MB (3.1 MB measured); 256 KB still carries a compressed history.
                .setSendBufferSize(SEND_BUFFER_BYTES)
                // No HTTP/2 over plain TCP: to tell it from HTTP/1.1, Vert.x waits for a request's headers before
                // it even makes the connection, so a client that never finishes them would escape Connections.
                .setHttp2ClearTextEnabled(false);
        if (security.tls() != null) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(security.tls().certificate().toString())
                    .setKeyPath(security.tls().key().toString()))
                    .setEnabledSecureTransportProtocols(TLS_PROTOCOLS);
            TLS_CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
        }
        connections = new Connections(vertx, ConnectionBudget.maxConnections(limits.maxConnections()),
                limits.headerTimeoutMillis(), metrics);
        return vertx.createHttpServer(options)
                .connectionHandler(connections::opened)
                .requestHandler(request -> {
                    connections.request(request);
                    router.handle(request);
                })
                .listen();
    }

    /**
     * Closes open WebSockets promptly: Vert.x would otherwise wait up to 30 s for viewers to leave, and a
     * dashboard's viewers never leave on their own.
     */
    @Override
    public Future<?> stop() {
        Future<Void> closed = server == null ? Future.succeededFuture()
                : server.shutdown(SHUTDOWN_GRACE_MS, TimeUnit.MILLISECONDS);
        return closed.eventually(() -> vertx.executeBlocking(() -> {
            if (page != null) {
                page.close();
            }
            return null;
        }, false));
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
        if (level == AccessPolicy.Level.THROTTLED) {
            metrics.refused("throttled");
            long wait = access.retryAfterMillis(request);
            ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, (wait + 999) / 1000)));
            RestApi.error(ctx, 429, AccessPolicy.throttledMessage(wait), "token");
            return;
        }
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
        Encoding encoding;
        try {
            encoding = Encoding.parse(request.getParam("encoding"));
        } catch (IllegalArgumentException e) {
            RestApi.error(ctx, 400, e.getMessage(), "encoding");
            return;
        }
        boolean mayControl = level == AccessPolicy.Level.CONTROL;
        upgrading++;
        request.toWebSocket().andThen(done -> upgrading--).onSuccess(socket -> {
            Viewer viewer = hub.join(socket, mayControl, after, encoding);
            RateLimiter rate = new RateLimiter(security.limits().messagesPerSecond(),
                    security.limits().messageBurst(), security.clock().getAsLong());
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
        RateLimiter.Verdict verdict = rate.admit(security.clock().getAsLong());
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
