package io.trainscope.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@code load-worker} process of viewers: the same classes in a JVM of their own, so that their decoding and
 * garbage collection are neither the tool's nor the server's. It reads its {@link Job}, then its {@link Window}, as
 * JSON lines on stdin and writes one line when connected and one with its report ({@link Worker}); its stderr is
 * the tool's. It ends by itself after its report, and as soon as its stdin closes (the tool is gone).
 */
final class ChildGroup implements Group {

    static final String COMMAND = "load-worker";
    /** A JVM's and Vert.x's start on a loaded machine, allowed on top of the connect phase before a worker is lost. */
    static final long START_SLACK_MS = 30_000;
    /** How late a report may be past the window and the slow viewers' drain. */
    static final long REPORT_SLACK_MS = 30_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int index;
    private final Job job;
    private final Process process;
    private final Writer stdin;
    private final CompletableFuture<ConnectReport> connected = new CompletableFuture<>();
    private final CompletableFuture<GroupReport> reported = new CompletableFuture<>();
    private Window window;

    ChildGroup(int index, Job job) throws LoadException {
        this.index = index;
        this.job = job;
        List<String> command = new ArrayList<>(List.of(java(),
                // One collector thread, and a heap sized to the sockets: several of these share two cores with the server.
                "-XX:+UseSerialGC", "-Xmx" + heapMegabytes(job.viewers()) + "m",
                "-cp", System.getProperty("java.class.path"), io.trainscope.Main.class.getName(), COMMAND));
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            send(job);
        } catch (IOException e) {
            throw new LoadException("could not start load worker " + index + ": " + e.getMessage());
        }
        Thread reader = new Thread(this::read, "trainscope-load-worker-" + index);
        reader.setDaemon(true);
        reader.start();
    }

    /** 256 MB, and 100 KB a viewer: a socket and its buffers, with room for a backlog of a slow one. */
    static int heapMegabytes(int viewers) {
        return 256 + viewers / 10;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void read() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                JsonNode message = JSON.readTree(line);
                if (message.has(Worker.CONNECTED)) {
                    connected.complete(JSON.treeToValue(message.get(Worker.CONNECTED), ConnectReport.class));
                } else if (message.has(Worker.REPORT)) {
                    reported.complete(JSON.treeToValue(message.get(Worker.REPORT), GroupReport.class));
                }
            }
        } catch (IOException e) {
            // Told below, with the exit code.
        }
        String exit = "load worker " + index + " ended before reporting" + exitCode();
        connected.completeExceptionally(new LoadException(exit));
        reported.completeExceptionally(new LoadException(exit));
    }

    private String exitCode() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? " (exit code " + process.exitValue() + ")" : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    @Override
    public ConnectReport connected() throws LoadException {
        return await(connected, job.connectTimeoutMs() + START_SLACK_MS, "its connections");
    }

    @Override
    public void window(Window window) throws LoadException {
        this.window = window;
        try {
            send(window);
        } catch (IOException e) {
            throw new LoadException("load worker " + index + " is gone: " + e.getMessage());
        }
    }

    @Override
    public GroupReport report() throws LoadException {
        long wait = window.to() - System.currentTimeMillis() + ViewerGroup.DRAIN_MS + REPORT_SLACK_MS;
        return await(reported, Math.max(REPORT_SLACK_MS, wait), "its report");
    }

    private void send(Object line) throws IOException {
        stdin.write(JSON.writeValueAsString(line));
        stdin.write('\n');
        stdin.flush();
    }

    private <T> T await(CompletableFuture<T> future, long ms, String what) throws LoadException {
        try {
            return future.get(ms, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof LoadException load ? load : new LoadException(e.getCause().toString());
        } catch (TimeoutException e) {
            throw new LoadException("load worker " + index + " did not send " + what + " within " + ms / 1000 + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadException("interrupted");
        }
    }

    /** Ends the process (and its sockets) if it has not ended by itself. */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            // Closing stdin only tells the worker to end; it is ended below anyway.
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
