package io.trainscope.server.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node of a {@link TestCluster} as a real process ({@code train SPEC --cluster} or {@code serve --cluster}): what it
 * prints, its HTTP port once it listens, and its pid, for tests that kill or suspend it.
 */
final class NodeProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on https?://[^:]+:(\\d+)/");
    /** Three JVMs joining a cluster at once on a loaded machine. */
    static final Duration START = Duration.ofSeconds(60);

    final Process process;
    private final Queue<String> output = new ConcurrentLinkedQueue<>();
    private volatile int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private NodeProcess(Process process) {
        this.process = process;
        io.trainscope.testing.ProcessLines.follow(process, "node-output", line -> {
            output.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
            }
        }, failure -> output.add("(output ended" + (failure == null ? "" : ": " + failure) + ")"));
    }

    /** {@code command} ({@code train SPEC}, {@code serve --port 0}, ...) joined to {@code cluster}. */
    static NodeProcess start(ClusterConfig cluster, Path data, String... command) throws java.io.IOException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.trainscope.Main"));
        line.addAll(List.of(command));
        line.addAll(List.of("--cluster", "--cluster-name", cluster.name(), "--cluster-port", String.valueOf(cluster.port()),
                "--cluster-members", String.join(",", cluster.members()), "--data-dir", data.toString()));
        return new NodeProcess(new ProcessBuilder(line).redirectErrorStream(true).start());
    }

    /** A spec that trains until stopped (10^8 iterations of a small network), written into {@code dir}. */
    static Path endless(Path dir) throws java.io.IOException {
        return java.nio.file.Files.writeString(dir.resolve("spec.json"), "{\"layers\": [2, 8, 1], \"learningRate\": 0.1,"
                + " \"iterations\": 100000000, \"dataset\": {\"name\": \"xor\", \"samples\": 64}}");
    }

    /** The HTTP port of a {@code serve} process, waiting until it listens. */
    int port() {
        io.trainscope.testing.Wait.until(() -> port != 0 || !process.isAlive(), "a node listening: " + printed(), START);
        if (port == 0) {
            throw new AssertionError("the node ended without listening: " + printed());
        }
        return port;
    }

    long pid() {
        return process.pid();
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code kill -STOP} or {@code kill -CONT}: the process stops answering anything, or goes on. */
    void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + signal + " " + pid() + " failed");
        }
    }

    String printed() {
        return String.join("\n", output);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
