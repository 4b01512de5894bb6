package io.trainscope.server.cluster;

import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.access.SecurityConfig;
import io.trainscope.server.training.EngineRunFactory;
import io.trainscope.server.web.ServerMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;


/**
 * Clustered nodes on loopback in this JVM, for tests: a cluster name and a Hazelcast base port of their own, so
 * that tests running at once never join each other. Hazelcast and Vert.x's cluster logging kept to errors.
 */
final class TestCluster implements AutoCloseable {

    /** Held: JUL keeps loggers weakly. */
    static final List<Logger> QUIET = List.of(Logger.getLogger("com.hazelcast"),
            Logger.getLogger("io.vertx.core.eventbus"), Logger.getLogger("io.vertx.core.net"),
            Logger.getLogger(ClusterVerticle.class.getName()));

    static {
        QUIET.forEach(logger -> logger.setLevel(Level.SEVERE));
    }

    /** Joining a cluster, or leaving it, on a loaded machine: tens of seconds (Hazelcast's own timeouts). */
    static final long JOIN_SECONDS = 90;

    final ClusterConfig config;
    private final List<Vertx> nodes = new ArrayList<>();
    private final List<java.nio.file.Path> folders = new ArrayList<>();

    /**
     * {@code TRAINSCOPE_TEST_HAZELCAST_PORT=P} in the environment: the clusters of a run take turns on P, P+10, P+20
     * and P+30 (for a machine whose ports are shared out); by default a random base of its own each.
     */
    private static final Integer PORTS = System.getenv("TRAINSCOPE_TEST_HAZELCAST_PORT") == null ? null
            : Integer.valueOf(System.getenv("TRAINSCOPE_TEST_HAZELCAST_PORT"));
    private static final java.util.concurrent.atomic.AtomicInteger TURN = new java.util.concurrent.atomic.AtomicInteger();

    TestCluster() {
        int base = PORTS != null ? PORTS + TURN.getAndIncrement() % 4 * 10
                : 20_000 + ThreadLocalRandom.current().nextInt(2_000) * 20;
        config = ClusterConfig.local().withName("test-" + Long.toHexString(System.nanoTime())).withPort(base)
                .withMembers(List.of("127.0.0.1:" + base, "127.0.0.1:" + (base + 1), "127.0.0.1:" + (base + 2)));
    }

    Vertx vertx(ClusterConfig node) {
        Vertx vertx = get(ClusterVertx.start(node, new VertxOptions(), null));
        synchronized (nodes) {
            nodes.add(vertx);
        }
        return vertx;
    }

    /** A node with its own Vert.x: {@code trainer} takes runs from any dashboard, {@code web} serves viewers. */
    Server node(boolean trainer, boolean web) {
        return node(vertx(config.withTrainer(trainer)), trainer, web);
    }

    /** Each node keeps its runs, and its copies of others', in a data directory of its own, removed at the end. */
    Server node(Vertx vertx, boolean trainer, boolean web) {
        return node(vertx, trainer, web, null);
    }

    /** As {@link #node(Vertx, boolean, boolean)}, control needing {@code token} on this node (null: none). */
    Server node(Vertx vertx, boolean trainer, boolean web, String token) {
        java.nio.file.Path data;
        try {
            data = java.nio.file.Files.createTempDirectory("trainscope-cluster-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        synchronized (nodes) {
            folders.add(data);
        }
        ServerConfig server = ServerConfig.defaults().withPort(0).withMaxRunning(2).withDataDir(data).withToken(token);
        return get(Server.startNode(vertx, server, SecurityConfig.DEFAULT, new ServerMetrics(),
                new EngineRunFactory(server.specLimits()), new Server.Clustered(config.withTrainer(trainer), web)));
    }

    /** Closes a node's Vert.x: it leaves the cluster. */
    void leave(Vertx vertx) {
        get(vertx.close());
        synchronized (nodes) {
            nodes.remove(vertx);
        }
    }

    static <T> T get(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(JOIN_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("did not complete within " + JOIN_SECONDS + " s: " + e, e);
        }
    }

    @Override
    public void close() {
        List<Vertx> open;
        synchronized (nodes) {
            open = new ArrayList<>(nodes);
            nodes.clear();
        }
        for (Vertx vertx : open) {
            try {
                get(vertx.close());
            } catch (RuntimeException | AssertionError e) {
                // Closing the others matters more.
            }
        }
        for (java.nio.file.Path folder : folders) {
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(folder)) {
                for (java.nio.file.Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.deleteIfExists(file);
                }
            } catch (java.io.IOException e) {
                // A temporary folder left behind.
            }
        }
    }
}
