package io.trainscope.server.access;

import io.trainscope.server.Server;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.trainscope.server.access.Clients.refusal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * https:// and wss:// with {@code --tls-cert}/{@code --tls-key}. The self-signed PEM pair is made at test time
 * by {@code openssl} (nothing secret is committed); .ci/run installs openssl when it is missing.
 */
@ExtendWith(VertxExtension.class)
class TlsTest {

    @TempDir
    static Path dir;
    static SecurityConfig.Tls tls;

    @BeforeAll
    static void selfSignedCertificate() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-keyout", key.toString(), "-out", cert.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("the TLS test needs openssl: run `sudo apt-get install openssl`", e);
        }
        assertTrue(openssl.waitFor(60, TimeUnit.SECONDS), "openssl finished");
        assertEquals(0, openssl.exitValue(), () -> read(dir.resolve("openssl.log")));
        tls = new SecurityConfig.Tls(cert, key);
    }

    @Test
    void httpsAndWssServeWithTheGivenCertificate(Vertx vertx) {
        Server server = Clients.start(vertx, "tls-token", SecurityConfig.DEFAULT.withTls(tls));
        Clients secure = new Clients(vertx, server.port(), true);
        assertEquals(200, secure.get("/health", Map.of()).status());
        assertEquals(201, secure.post("/api/runs", Clients.bearer("tls-token"), Clients.spec(5, 0)).status());
        assertTrue(secure.viewer("/ws?token=tls-token").next("hello").getBoolean("control"));
        int port = server.port();
        secure.viewer("/ws", Map.of("Origin", "https://localhost:" + port)).next("hello");
        refusal(secure.rejected("/ws", Map.of("Origin", "http://localhost:" + port)), 403);

        RequestOptions plain = new RequestOptions().setMethod(HttpMethod.GET).setHost("localhost").setPort(port)
                .setURI("/health");
        assertThrows(AssertionError.class, () -> Clients.await(vertx.createHttpClient(new HttpClientOptions())
                .request(plain).compose(r -> r.send()).compose(r -> r.body())), "plain HTTP is not served");
    }

    @Test
    void aMissingKeyFileIsAClearStartError(Vertx vertx) {
        SecurityConfig.Tls missing = new SecurityConfig.Tls(tls.certificate(), dir.resolve("no-such-key.pem"));
        Throwable failure = Clients.awaitFailure(Server.start(vertx,
                io.trainscope.server.ServerConfig.defaults().withPort(0),
                SecurityConfig.DEFAULT.withTls(missing), new io.trainscope.server.ServerMetrics()));
        assertTrue(String.valueOf(failure.getMessage()).contains("no-such-key.pem"), String.valueOf(failure));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /**
     * TLS 1.2 offers only ephemeral key exchange with authenticated encryption (issue 8, low items): a client that
     * asks for static RSA with CBC and SHA-1, or for TLS 1.1, is refused; one asking for ECDHE with GCM is served.
     */
    @Test
    void onlyForwardSecretAuthenticatedSuitesAreOffered(Vertx vertx) throws Exception {
        Server server = Clients.start(vertx, "tls-token", SecurityConfig.DEFAULT.withTls(tls));
        String address = "127.0.0.1:" + server.port();
        assertEquals(0, sClient(address, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"), "ECDHE with GCM");
        assertEquals(0, sClient(address, "-tls1_3"), "TLS 1.3");
        assertTrue(sClient(address, "-tls1_2", "-cipher", "AES128-SHA") != 0, "static RSA, CBC, SHA-1");
        assertTrue(sClient(address, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA") != 0, "CBC with SHA-1");
        assertTrue(sClient(address, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0") != 0, "TLS 1.1");
    }

    /** openssl s_client's exit status for a handshake with these options: 0 when it completed. */
    private static int sClient(String address, String... options) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("openssl", "s_client",
                "-connect", address, "-servername", "localhost"));
        command.addAll(java.util.List.of(options));
        Process openssl = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("s_client.log").toFile()).start();
        openssl.getOutputStream().close();
        assertTrue(openssl.waitFor(30, TimeUnit.SECONDS), "openssl s_client finished");
        return openssl.exitValue();
    }
}
