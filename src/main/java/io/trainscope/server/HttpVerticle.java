package io.trainscope.server;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The web side, on one event loop: the page ({@code webroot/}, packaged in the jar) and Chart.js from its
 * webjar, the WebSocket {@code /ws}, the REST API and {@code /health}. It learns about runs only from the
 * event bus ({@link Addresses#STATE}, {@link Addresses#METRICS}) and reads their histories from the
 * {@link RunRegistry}.
 */
public final class HttpVerticle extends VerticleBase {

    static final long SHUTDOWN_GRACE_MS = 500;

    private final ServerConfig config;
    private final RunRegistry registry;
    private HttpServer server;
    private ViewerHub hub;

    public HttpVerticle(ServerConfig config, RunRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    @Override
    public Future<?> start() {
        hub = new ViewerHub(vertx, config, registry);
        ViewerRequests requests = new ViewerRequests(hub, registry, vertx.eventBus(), config);
        Access access = new Access(config.token());
        vertx.eventBus().<RunSnapshot>localConsumer(Addresses.STATE, message -> hub.onState(message.body()));
        vertx.eventBus().<MetricsUpdate>localConsumer(Addresses.METRICS, message -> hub.onMetrics(message.body()));

        Router router = Router.router(vertx);
        router.route("/ws").handler(ctx -> upgrade(ctx, access, requests));
        new RestApi(registry, vertx.eventBus(), access).mount(router);
        router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
        router.route("/*").handler(StaticHandler.create("webroot"));

        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setMaxWebSocketMessageSize(config.maxMessageBytes())
                // Compression would cost a deflate per viewer per update, undoing the shared encoding.
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false);
        return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(s -> server = s);
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

    private void upgrade(RoutingContext ctx, Access access, ViewerRequests requests) {
        HttpServerRequest request = ctx.request();
        if (!Access.originAllowed(request)) {
            RestApi.error(ctx, 403, "WebSocket connections from origin " + request.getHeader("Origin")
                    + " are refused: only this server's own pages may connect", null);
            return;
        }
        Map<String, Long> after;
        try {
            after = parseAfter(request.params().getAll("after"));
        } catch (IllegalArgumentException e) {
            RestApi.error(ctx, 400, e.getMessage(), "after");
            return;
        }
        boolean mayControl = access.mayControlSocket(request);
        request.toWebSocket().onSuccess(socket -> {
            Viewer viewer = hub.join(socket, mayControl, after);
            socket.textMessageHandler(text -> requests.handle(viewer, text));
            socket.binaryMessageHandler(bytes -> hub.send(viewer,
                    Messages.error("binary messages are not understood; send JSON text", null, null)));
            socket.exceptionHandler(failure -> hub.send(viewer, Messages.error(failure.getMessage(), null, null)));
            socket.closeHandler(closed -> hub.leave(viewer));
        });
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
