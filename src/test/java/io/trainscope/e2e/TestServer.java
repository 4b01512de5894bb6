package io.trainscope.e2e;

import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;

import java.util.concurrent.TimeUnit;

/** The real server, in this JVM, on a free port. */
final class TestServer implements AutoCloseable {

    private final Vertx vertx;
    private final Server server;

    private TestServer(Vertx vertx, Server server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** {@code token}: the control token, or null for a server where every viewer may control. */
    static TestServer start(String token) throws Exception {
        // Several runs may be live at once, so that a run left by one step cannot refuse the next start.
        ServerConfig config = ServerConfig.defaults().withPort(0).withMaxRunning(4).withToken(token);
        Vertx vertx = Vertx.vertx(new VertxOptions().setFileSystemOptions(
                new FileSystemOptions().setFileCachingEnabled(false)));
        Server server = Server.start(vertx, config).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return new TestServer(vertx, server);
    }

    String url() {
        return "http://127.0.0.1:" + server.port() + "/";
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
