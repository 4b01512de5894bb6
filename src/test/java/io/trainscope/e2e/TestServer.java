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

/** The real server, in this JVM, on a free port and a fresh data directory. */
final class TestServer implements AutoCloseable {

    private final Vertx vertx;
    private final Server server;
    private final Path dataDir;

    private TestServer(Vertx vertx, Server server, Path dataDir) {
        this.vertx = vertx;
        this.server = server;
        this.dataDir = dataDir;
    }

    static TestServer start() throws Exception {
        Path dataDir = Files.createTempDirectory("trainscope-e2e-");
        ServerConfig d = ServerConfig.defaults();
        // Several runs may be live at once, so that one test's run cannot refuse the next test's start.
        ServerConfig config = new ServerConfig("127.0.0.1", 0, dataDir, null, 4, d.pushRate(), false,
                d.maxLivePoints(), d.maxHistoryPoints(), d.maxMessageBytes(), d.chunkMillis());
        Vertx vertx = Vertx.vertx(new VertxOptions().setFileSystemOptions(
                new FileSystemOptions().setFileCachingEnabled(false)));
        Server server = Server.start(vertx, config).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return new TestServer(vertx, server, dataDir);
    }

    String url() {
        return "http://127.0.0.1:" + server.port() + "/";
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            deleteRecursively(dataDir);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
