package io.trainscope.load;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.util.Map;

/**
 * The child's side of {@link ChildGroup}: one JSON line in ({@link Job}), {@code {"connected": …}} out, one line in
 * ({@link Window}), {@code {"report": …}} out, then it holds its viewers until its stdin closes. Its stdout carries
 * nothing else (Vert.x logs to stderr).
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
        try (ViewerGroup group = new ViewerGroup(job)) {
            send(out, CONNECTED, group.connect());
            String windowLine = in.readLine();
            if (windowLine == null) {
                return ORPHANED;
            }
            Window window = JSON.readValue(windowLine, Window.class);
            if (window.to() - System.currentTimeMillis() > MAX_WINDOW_END_MS || window.to() <= window.from()) {
                return BAD_INPUT;
            }
            group.window(window);
            send(out, REPORT, group.report());
            // The viewers stay connected until the tool has read the server one last time and closes this stdin.
            in.transferTo(Writer.nullWriter());
        }
        return DONE;
    }

    private static void send(PrintStream out, String key, Object value) throws IOException {
        out.println(JSON.writeValueAsString(Map.of(key, value)));
        out.flush();
    }
}
