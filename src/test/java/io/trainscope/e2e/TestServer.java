package io.trainscope.e2e;

import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The real server, in this JVM, on a free port, keeping its runs in a data directory of its own. */
final class TestServer implements AutoCloseable {

    private final Vertx vertx;
    private final Server server;
    /** Removed on close when this server made it. */
    private final Path madeDir;

    private TestServer(Vertx vertx, Server server, Path madeDir) {
        this.vertx = vertx;
        this.server = server;
        this.madeDir = madeDir;
    }

    /** {@code token}: the control token, or null for a server where every viewer may control. */
    static TestServer start(String token) throws Exception {
        Path dir = Files.createTempDirectory("trainscope-e2e");
        return start(token, dir, dir);
    }

    /** On {@code dataDir}, which is left in place: a second server may start on it. */
    static TestServer start(String token, Path dataDir) throws Exception {
        return start(token, dataDir, null);
    }

    /** With its configuration changed by {@code tweak} (fewer slots, say). */
    static TestServer start(String token, java.util.function.UnaryOperator<ServerConfig> tweak) throws Exception {
        Path dir = Files.createTempDirectory("trainscope-e2e");
        return start(token, dir, dir, tweak);
    }

    private static TestServer start(String token, Path dataDir, Path madeDir) throws Exception {
        return start(token, dataDir, madeDir, c -> c);
    }

    private static TestServer start(String token, Path dataDir, Path madeDir,
                                    java.util.function.UnaryOperator<ServerConfig> tweak) throws Exception {
        // Several runs may be live at once, so that a run left by one step cannot refuse the next start.
        // Nothing the browser tests train is downsampled, so that a page can be checked to hold every iteration
        // exactly once: on a loaded machine a push comes late and carries more than the default 100 points, and
        // a page offline for seconds misses more than a default history holds. Downsampling has its own tests.
        ServerConfig config = tweak.apply(ServerConfig.defaults().withPort(0).withMaxRunning(4).withToken(token)
                .withDataDir(dataDir).withPoints(1_000_000, 1_000_000));
        Vertx vertx = Vertx.vertx(new VertxOptions().setFileSystemOptions(
                new FileSystemOptions().setFileCachingEnabled(false)));
        Server server = Server.start(vertx, config).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return new TestServer(vertx, server, madeDir);
    }

    int port() {
        return server.port();
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
            if (madeDir != null) {
                deleteRecursively(madeDir);
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
