package io.trainscope.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The training progress line on stderr: iteration/total, a bar, cost, iterations per second and ETA.
 * On a terminal it is redrawn in place with {@code \r} at most {@link #TERMINAL_INTERVAL_NANOS} apart;
 * otherwise (a log file, a pipe) a plain line is printed every {@link #PLAIN_INTERVAL_NANOS}.
 *
 * <p>A small network runs an iteration in about a microsecond, and {@link System#nanoTime} costs some 25 ns,
 * so the clock is read only every {@code stride} iterations: the stride doubles while checks come less than
 * {@link #MIN_CHECK_NANOS} apart and halves when they come more than {@link #MAX_CHECK_NANOS} apart, so that
 * a slow large network still redraws on time.
 */
final class Progress {

    static final long TERMINAL_INTERVAL_NANOS = 100_000_000L;
    static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;
    private static final long MIN_CHECK_NANOS = 5_000_000L;
    private static final long MAX_CHECK_NANOS = 50_000_000L;
    private static final int MAX_STRIDE = 1 << 20;
    private static final int BAR_WIDTH = 20;

    private final PrintWriter err;
    private final long total;
    private final boolean terminal;
    private final long interval;
    private final long start;
    private long lastCheck;
    private long lastDraw;
    private int stride = 1;
    private int countdown = 1;
    private int drawnWidth;

    Progress(PrintWriter err, long total, boolean terminal) {
        this.err = err;
        this.total = total;
        this.terminal = terminal;
        this.interval = terminal ? TERMINAL_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS;
        this.start = System.nanoTime();
        this.lastCheck = start;
        this.lastDraw = start;
    }

    /** After iteration {@code done - 1}; cheap unless it is time to look at the clock. */
    void update(long done, double cost) {
        if (--countdown > 0) {
            return;
        }
        long now = System.nanoTime();
        long sinceCheck = now - lastCheck;
        lastCheck = now;
        if (sinceCheck < MIN_CHECK_NANOS && stride < MAX_STRIDE) {
            stride *= 2;
        } else if (sinceCheck > MAX_CHECK_NANOS && stride > 1) {
            stride /= 2;
        }
        countdown = stride;
        if (now - lastDraw >= interval) {
            lastDraw = now;
            draw(done, cost, now);
        }
    }

    /** Seconds since the progress started. */
    double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Clears the redrawn line, so that what follows starts on a clean one. */
    void finish() {
        if (terminal && drawnWidth > 0) {
            err.print("\r" + " ".repeat(drawnWidth) + "\r");
            err.flush();
        }
    }

    private void draw(long done, double cost, long now) {
        double seconds = (now - start) / 1e9;
        double rate = done / seconds;
        String line = line(done, total, cost, rate);
        if (terminal) {
            err.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
            drawnWidth = line.length();
        } else {
            err.println(line);
        }
        err.flush();
    }

    static String line(long done, long total, double cost, double rate) {
        int filled = (int) (BAR_WIDTH * done / total);
        String bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
        double eta = rate > 0 ? (total - done) / rate : Double.NaN;
        return String.format(Locale.ROOT, "%,d/%,d [%s] %3d%%  cost %.6g  %s it/s  ETA %s",
                done, total, bar, 100 * done / total, cost, rate(rate), duration(eta));
    }

    /** {@code 950}, {@code 12.3k}, {@code 1.25M}. */
    static String rate(double perSecond) {
        if (perSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
        }
        if (perSecond >= 1e4) {
            return String.format(Locale.ROOT, "%.1fk", perSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", perSecond);
    }

    /** {@code 0:07}, {@code 12:34}, {@code 2:03:04}; {@code ?} when unknown. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
