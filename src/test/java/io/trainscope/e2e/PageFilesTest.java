package io.trainscope.e2e;

import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page is served from the jar, never from the working directory, and never through a link out of its folder
 * (issue 8, low items): started from a folder holding a {@code webroot/}, the server used to serve it from disk,
 * following symbolic links ({@code GET /leak.txt} gave {@code /etc/passwd}).
 */
@Timeout(120)
class PageFilesTest {

    @TempDir
    Path dir;

    @Test
    void aWebrootInTheWorkingDirectoryIsNotServed() throws Exception {
        Path cwd = dir.resolve("cwd");
        Path webroot = Files.createDirectories(cwd.resolve("webroot"));
        Files.writeString(webroot.resolve("index.html"), "not the page");
        Files.writeString(webroot.resolve("leak.txt"), "a file beside the page");
        Files.createSymbolicLink(webroot.resolve("passwd"), Path.of("/etc/passwd"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.trainscope.Main", "serve", "--port", "0", "--data-dir", dir.resolve("data").toString())
                .directory(cwd.toFile()).redirectErrorStream(true).start();
        try {
            int port = portOf(process);
            assertTrue(get(port, "/").body().contains("trainscope"), "the page from the jar");
            assertEquals(404, get(port, "/leak.txt").statusCode());
            assertEquals(404, get(port, "/passwd").statusCode());
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aGivenWebrootIsCopiedWithoutItsLinks() throws Exception {
        Path webroot = Files.createDirectories(dir.resolve("page"));
        Files.writeString(webroot.resolve("index.html"), "<title>my page</title>");
        Files.createDirectories(webroot.resolve("js"));
        Files.writeString(webroot.resolve("js").resolve("app.js"), "// mine");
        Files.createSymbolicLink(webroot.resolve("passwd"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(webroot.resolve("etc"), Path.of("/etc"));
        Vertx vertx = Vertx.vertx();
        try {
            Server server = Server.start(vertx, ServerConfig.defaults().withPort(0).withWebroot(webroot))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertTrue(get(server.port(), "/").body().contains("my page"));
            assertEquals("// mine", get(server.port(), "/js/app.js").body());
            for (String path : List.of("/passwd", "/etc/passwd", "/etc/hostname", "/../../etc/passwd")) {
                assertEquals(404, get(server.port(), path).statusCode(), path);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int portOf(Process process) throws Exception {
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()));
        java.util.regex.Pattern listening = java.util.regex.Pattern.compile("listening on http://[^:]+:(\\d+)/");
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            java.util.regex.Matcher m = listening.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("serve ended without listening");
    }
}
