package io.trainscope.cli;

import io.trainscope.server.Demo;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.Server;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code serve}: starts the dashboard and serves until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the dashboard (the default command).")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--host", description = "Interface to listen on (default: ${DEFAULT-VALUE}).")
    String host = ServerConfig.DEFAULT_HOST;

    @Option(names = "--port", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port = ServerConfig.DEFAULT_PORT;

    @Option(names = "--data-dir", description = "Where runs are kept (default: ${DEFAULT-VALUE}).")
    Path dataDir = ServerConfig.DEFAULT_DATA_DIR;

    @Option(names = "--token", description = "Require this token to control runs (watching stays open).")
    String token;

    @Option(names = "--max-running", description = "Runs that may train or be paused at once (default: ${DEFAULT-VALUE}).")
    int maxRunning = ServerConfig.DEFAULT_MAX_RUNNING;

    @Option(names = "--push-rate", description = "Updates per second sent to each viewer (default: ${DEFAULT-VALUE}).")
    int pushRate = ServerConfig.DEFAULT_PUSH_RATE;

    @Option(names = "--demo", description = "Start a slow demo run (a spiral, about a minute) at start-up.")
    boolean demo;

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig config;
        try {
            ServerConfig d = ServerConfig.defaults();
            config = new ServerConfig(host, port, dataDir.toAbsolutePath().normalize(), token, maxRunning, pushRate,
                    demo, d.maxLivePoints(), d.maxHistoryPoints(), d.maxMessageBytes(), d.chunkMillis(),
                    d.specLimits());
        } catch (IllegalArgumentException e) {
            System.err.println("serve: " + e.getMessage());
            return 2;
        }
        // The page is read from the jar; caching it would leave a .vertx/ directory wherever we are started.
        Vertx vertx = Vertx.vertx(new VertxOptions().setFileSystemOptions(new FileSystemOptions()
                .setFileCachingEnabled(false)
                .setFileCacheDir(Path.of(System.getProperty("java.io.tmpdir"), "trainscope-vertx").toString())));
        Server server;
        try {
            server = Server.start(vertx, config)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("serve: cannot listen on " + host + ":" + port + ": " + cause.getMessage());
            vertx.close();
            return 1;
        }
        System.out.println("trainscope data directory: " + config.dataDir());
        System.out.println("trainscope listening on http://" + host + ":" + server.port() + "/");
        if (demo) {
            Demo.start(vertx).onFailure(e -> System.err.println("demo: " + e.getMessage()));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop().eventually(vertx::close);
            stopped.countDown();
        }, "trainscope-shutdown"));
        stopped.await();
        return 0;
    }
}
