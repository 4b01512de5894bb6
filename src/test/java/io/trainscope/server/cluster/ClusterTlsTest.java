package io.trainscope.server.cluster;

import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event bus over TLS with client authentication: two nodes with the cluster's certificate exchange messages on
 * the cluster's addresses; a third node of the same Hazelcast cluster without it can neither send to them nor
 * receive from them.
 */
class ClusterTlsTest {

    private final TestCluster cluster = new TestCluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    private static ClusterConfig.Tls certificate(Path dir) throws Exception {
        Path cert = dir.resolve("cluster.pem");
        Path key = dir.resolve("cluster-key.pem");
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=trainscope-cluster", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", key.toString(), "-out", cert.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("the cluster TLS test needs openssl: run `sudo apt-get install openssl`", e);
        }
        assertTrue(openssl.waitFor(60, TimeUnit.SECONDS), "openssl finished");
        assertEquals(0, openssl.exitValue(), () -> {
            try {
                return Files.readString(dir.resolve("openssl.log"));
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        return new ClusterConfig.Tls(cert, key, cert);
    }

    private static List<JsonObject> listen(Vertx vertx) {
        List<JsonObject> received = new CopyOnWriteArrayList<>();
        TestCluster.get(vertx.eventBus().<JsonObject>consumer(ClusterAddresses.NODES, m -> received.add(m.body()))
                .completion());
        return received;
    }

    private static boolean heardFrom(List<JsonObject> received, String node) {
        return received.stream().anyMatch(m -> node.equals(m.getString("node")));
    }

    @Test
    void withoutTheCertificateANodeNeitherSendsNorReceives(@TempDir Path dir) throws Exception {
        ClusterConfig.Tls tls = certificate(dir);
        Vertx a = cluster.vertx(cluster.config.withTls(tls));
        Vertx b = cluster.vertx(cluster.config.withTls(tls));
        Vertx plain = cluster.vertx(cluster.config);
        List<JsonObject> atA = listen(a);
        List<JsonObject> atB = listen(b);
        List<JsonObject> atPlain = listen(plain);
        // Wait for every node to see the others' subscriptions, then publish from each, again and again.
        long stop = System.currentTimeMillis() + 4_000;
        while (System.currentTimeMillis() < stop) {
            a.eventBus().publish(ClusterAddresses.NODES, ClusterWire.message("node").put("node", "a"));
            plain.eventBus().publish(ClusterAddresses.NODES, ClusterWire.message("node").put("node", "plain"));
            Thread.sleep(200);
        }
        Wait.until(() -> heardFrom(atB, "a"), "a message from one certified node at the other");
        assertTrue(heardFrom(atPlain, "plain"), "the plain node hears itself (local delivery)");
        assertTrue(!heardFrom(atPlain, "a"), "the node without the certificate received nothing from the cluster");
        assertTrue(!heardFrom(atA, "plain") && !heardFrom(atB, "plain"),
                "nothing the node without the certificate sent reached the cluster");
    }
}
