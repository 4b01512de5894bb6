package io.trainscope.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code serve} as a real process on a free port, for tests that kill it or starve it: its port and all it prints. */
final class ServeProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on https?://[^:]+:(\\d+)/");
    static final Duration WAIT = Duration.ofSeconds(60);

    final Process process;
    final int port;
    final Queue<String> output;
    final Thread reader;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ServeProcess(Process process, int port, Queue<String> output, Thread reader) {
        this.process = process;
        this.port = port;
        this.output = output;
        this.reader = reader;
    }

    /**
     * {@code prefix} runs before java (such as {@code prlimit --nofile=600:600}); {@code jvm} are JVM options
     * ({@code -Xmx256m}); {@code options} are serve's, after {@code --port 0 --data-dir data}.
     */
    static ServeProcess start(Path data, List<String> prefix, List<String> jvm, List<String> options) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.trainscope.Main", "serve",
                "--port", "0", "--data-dir", data.toString()));
        command.addAll(options);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Queue<String> output = new ConcurrentLinkedQueue<>();
        Thread reader = io.trainscope.testing.ProcessLines.follow(process, "serve-output", line -> {
            output.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                port.complete(Integer.parseInt(m.group(1)));
            }
        }, failure -> port.completeExceptionally(failure != null ? failure
                : new AssertionError("serve ended without listening: " + String.join("\n", output))));
        try {
            return new ServeProcess(process, port.get(WAIT.toSeconds(), TimeUnit.SECONDS), output, reader);
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String printed() {
        return String.join("\n", output);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
