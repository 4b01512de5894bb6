package io.trainscope.load;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The child's side of {@link ChildGroup}: one JSON line in ({@link Job}), {@code {"connected": …}} out, one line in
 * ({@link Window}), {@code {"report": …}} out, then it holds its viewers until its stdin closes. Its stdout carries
 * nothing else (Vert.x logs to stderr). If stdin closes before the report is out, the tool is gone and so is the
 * test: the process ends at once, its sockets with it.
 */
public final class Worker {

    static final String CONNECTED = "connected";
    static final String REPORT = "report";
    /** A window further off than this is not one the tool would send: the worker is bounded in time too. */
    static final long MAX_WINDOW_END_MS = 15 * 60_000L;

    public static final int DONE = 0;
    /** The tool went away (stdin closed) before the worker was done. */
    public static final int ORPHANED = 3;
    public static final int BAD_INPUT = 2;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Worker() {
    }

    public static int run(BufferedReader in, PrintStream out) throws IOException, InterruptedException {
        String jobLine = in.readLine();
        if (jobLine == null) {
            return ORPHANED;
        }
        Job job = JSON.readValue(jobLine, Job.class);
        if (!Target.loopback(job.host())) {
            return BAD_INPUT;
        }
        CompletableFuture<String> windowLine = new CompletableFuture<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        CompletableFuture<Void> reported = new CompletableFuture<>();
        watch(in, windowLine, closed, reported);
        try (ViewerGroup group = new ViewerGroup(job)) {
            send(out, CONNECTED, group.connect());
            String line = windowLine.get();
            if (line == null) {
                return ORPHANED;
            }
            Window window = JSON.readValue(line, Window.class);
            if (window.to() - System.currentTimeMillis() > MAX_WINDOW_END_MS || window.to() <= window.from()) {
                return BAD_INPUT;
            }
            group.window(window);
            GroupReport report = group.report();
            reported.complete(null);
            send(out, REPORT, report);
            // The viewers stay connected until the tool has read the server one last time and closes this stdin.
            closed.get();
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
        return DONE;
    }

    /** Reads stdin after the job: the window, then nothing until it closes. Closed before the report: exits. */
    private static void watch(BufferedReader in, CompletableFuture<String> windowLine, CompletableFuture<Void> closed,
                              CompletableFuture<Void> reported) {
        Thread watcher = new Thread(() -> {
            try {
                windowLine.complete(in.readLine());
                in.transferTo(Writer.nullWriter());
            } catch (IOException e) {
                // A broken pipe is a closed one.
            }
            windowLine.complete(null);
            closed.complete(null);
            if (!reported.isDone()) {
                System.exit(ORPHANED);
            }
        }, "trainscope-load-worker-stdin");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void send(PrintStream out, String key, Object value) throws IOException {
        out.println(JSON.writeValueAsString(Map.of(key, value)));
        out.flush();
    }
}
