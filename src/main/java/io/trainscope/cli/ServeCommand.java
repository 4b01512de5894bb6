package io.trainscope.cli;

import io.trainscope.nn.Kernels;
import io.trainscope.server.Demo;
import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.access.AccessPolicy;
import io.trainscope.server.access.SecurityConfig;
import io.trainscope.server.cluster.ClusterConfig;
import io.trainscope.server.cluster.ClusterVertx;
import io.trainscope.server.training.EngineRunFactory;
import io.trainscope.server.web.ServerMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code serve}: starts the dashboard and serves until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the dashboard (the default command).")
public final class ServeCommand implements Callable<Integer> {

    /** How long Ctrl-C waits for pending points to be written before the process exits anyway. */
    static final int SHUTDOWN_WAIT_SECONDS = 10;

    @Option(names = "--host", description = "Interface to listen on (default: ${DEFAULT-VALUE}).")
    String host = ServerConfig.DEFAULT_HOST;

    @Option(names = "--port", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port = ServerConfig.DEFAULT_PORT;

    @Option(names = "--data-dir", description = "Where runs are kept (default: ${DEFAULT-VALUE}).")
    Path dataDir = ServerConfig.DEFAULT_DATA_DIR;

    // From the environment too: a command line is visible to every local user in `ps`.
    @Option(names = "--token", defaultValue = "${env:TRAINSCOPE_TOKEN}", description = "Require this token to"
            + " control runs (watching stays open unless --private); default: $TRAINSCOPE_TOKEN. Beyond loopback,"
            + " one is made when not given.")
    String token;

    @Option(names = "--max-running", description = "Runs that may train or be paused at once (default: ${DEFAULT-VALUE}).")
    int maxRunning = ServerConfig.DEFAULT_MAX_RUNNING;

    @Option(names = "--max-queued", description = "Runs that may wait for a training slot beyond --max-running; a"
            + " start beyond them is refused (default: ${DEFAULT-VALUE}).")
    int maxQueued = ServerConfig.DEFAULT_MAX_QUEUED;

    @Option(names = "--push-rate", description = "Updates per second sent to each viewer (default: ${DEFAULT-VALUE}).")
    int pushRate = ServerConfig.DEFAULT_PUSH_RATE;

    @Option(names = "--snapshot-rate", description = "Most snapshots a second of each view (histograms, boundary,"
            + " network) of each run, 1..20 (default: ${DEFAULT-VALUE}).")
    int snapshotRate = ServerConfig.DEFAULT_SNAPSHOT_RATE;

    @Option(names = "--webroot", paramLabel = "DIR", description = "Serve the page from DIR (copied at start, regular "
            + "files only) instead of the one in the jar: for working on the page.")
    Path webroot;

    @Option(names = "--demo", description = "Start a slow demo run (a spiral, about a minute) at start-up.")
    boolean demo;

    @Option(names = "--trainer", description = "With --cluster: also train runs started from any dashboard of the"
            + " cluster (placed by free slots, --max-running each).")
    boolean trainer;

    @Mixin
    ClusterOptions clusterOptions;

    @Mixin
    SecurityOptions securityOptions;

    @Mixin
    KernelsOption kernels;

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig config;
        SecurityConfig security;
        ClusterConfig cluster;
        // Reachable from elsewhere, or private, without a token: make one (as Jupyter does) and print its URL.
        boolean madeToken = token == null && (securityOptions.privateMode || !SecurityOptions.loopback(host));
        String chosenToken = madeToken ? AccessPolicy.generateToken() : token;
        try {
            ServerConfig d = ServerConfig.defaults();
            config = new ServerConfig(host, port, dataDir.toAbsolutePath().normalize(), chosenToken, maxRunning,
                    pushRate, demo, d.maxLivePoints(), d.maxHistoryPoints(), securityOptions.maxMessageBytes,
                    d.chunkMillis(), securityOptions.specLimits(), webroot, maxQueued, d.keepMillis(),
                    snapshotRate);
            security = securityOptions.config(chosenToken);
            cluster = clusterOptions.config(trainer);
        } catch (IllegalArgumentException e) {
            System.err.println("serve: " + e.getMessage());
            return 2;
        }
        String kernelsError = kernels.apply();
        if (kernelsError != null) {
            System.err.println("serve: " + kernelsError);
            return 2;
        }
        // The page is served from a folder named by its absolute path (the server unpacks it from the jar), so Vert.x
        // neither looks for files on the classpath nor keeps a cache of them.
        ServerMetrics metrics = new ServerMetrics();
        VertxOptions options = new VertxOptions().setPreferNativeTransport(true).setFileSystemOptions(
                new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false));
        Vertx vertx;
        if (cluster == null) {
            vertx = ServerMetrics.vertx(options, metrics);
        } else {
            vertx = joinCluster("serve", cluster, options, metrics);
            if (vertx == null) {
                return 1;
            }
        }
        Server server;
        try {
            server = (cluster == null ? Server.start(vertx, config, security, metrics)
                    : Server.startNode(vertx, config, security, metrics, new EngineRunFactory(config.specLimits()),
                            new Server.Clustered(cluster, true)))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            // The data directory is opened first, and its error names it; a socket's error needs the address.
            boolean store = cause instanceof java.io.IOException && !(cause instanceof java.net.SocketException);
            System.err.println("serve: " + (store ? cause.getMessage()
                    : "cannot listen on " + host + ":" + port + ": " + cause.getMessage()));
            vertx.close();
            return 1;
        }
        System.out.println("trainscope data directory: " + config.dataDir());
        if (cluster != null) {
            System.out.println(clusterLine(cluster, server));
        }
        System.out.println(KernelsOption.LINE + Kernels.description());
        String url = (security.tls() != null ? "https://" : "http://") + urlHost(host) + ":" + server.port() + "/";
        System.out.println("trainscope listening on " + url);
        if (madeToken) {
            // The one place the token is printed: the user needs it, as with Jupyter. It is never logged.
            System.out.println("token made for this run (needed to control" + (security.privateMode() ? " and to watch"
                    : "; anyone may watch") + "); open " + url + "?token=" + chosenToken);
        } else if (chosenToken != null) {
            System.out.println("control needs the token given (--token or TRAINSCOPE_TOKEN)"
                    + (security.privateMode() ? ", and so does watching" : ""));
        }
        if (demo) {
            Demo.restart(vertx, server.runs()).onFailure(e -> System.err.println("demo: " + e.getMessage()));
        }
        untilStopped("serve", server, vertx);
        return 0;
    }

    /**
     * Serves until Ctrl-C or SIGTERM: the JVM exits when the shutdown hook returns, so it waits (a little) for every
     * pending point to be written and for Vert.x to remove its file cache (and, on a cluster, to leave it).
     */
    static void untilStopped(String command, Server server, Vertx vertx) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                // Two waits, not server.stop().eventually(vertx::close): that future completes on an event loop
                // that the close has just ended, so it never would.
                server.stop().toCompletionStage().toCompletableFuture().get(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
                vertx.close().toCompletionStage().toCompletableFuture().get(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println(command + ": stopping took longer than " + SHUTDOWN_WAIT_SECONDS + " s or failed: " + e);
            }
            stopped.countDown();
        }, "trainscope-shutdown"));
        stopped.await();
    }

    /** Joins the cluster, or prints why it could not and returns null. */
    static Vertx joinCluster(String command, ClusterConfig cluster, VertxOptions options, ServerMetrics metrics) {
        try {
            // Every node on the native transport where there is one, as serve is (the event bus's TCP too).
            return ClusterVertx.start(cluster, options.setPreferNativeTransport(true), metrics).toCompletionStage().toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println(command + ": cannot join the cluster \"" + cluster.name() + "\" on " + cluster.host() + ":"
                    + cluster.port() + ": " + cause.getMessage());
            return null;
        }
    }

    static String clusterLine(ClusterConfig cluster, Server server) {
        return "trainscope cluster \"" + cluster.name() + "\": node " + server.cluster().nodeId() + " on " + cluster.host()
                + (cluster.tls() != null ? ", event bus over TLS" : "") + (cluster.trainer() ? ", trainer" : "");
    }

    /** An IPv6 literal needs brackets in a URL. */
    private static String urlHost(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
