package io.trainscope.load;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A {@link LoadReport} as the lines {@code load} prints (docs/performance.md, "Fan-out", shows and explains them). */
public final class ReportText {

    private ReportText() {
    }

    public static void print(LoadReport r, PrintStream out) {
        int healthy = r.viewers() - r.slow();
        String where = r.viewers() == 0 ? "" : r.processes() == 0 ? " in this process" : " in " + r.processes() + " processes";
        out.println(String.format(Locale.ROOT, "trainscope load: %d viewers (%d slow)%s, %s, run %s", r.viewers(), r.slow(),
                where, r.url(), r.runId()));
        out.println(String.format(Locale.ROOT, "limits: %s open files a process here (workers inherit it), %s on the"
                + " server; local ports %s", whole(r.limits().openFiles()), whole(r.limits().serverMaxFiles()),
                r.limits().localPorts().isEmpty() ? "unknown" : r.limits().localPorts()));
        LoadReport.Connect c = r.connect();
        if (c.attempted() > 0) {
            out.println(String.format(Locale.ROOT, "connect: %d of %d in %s s (handshake p50 %s, p99 %s, max %s ms);"
                    + " join history received by %d: p50 %s, p99 %s, max %s ms after the handshake began",
                    c.connected(), c.attempted(), decimal(c.seconds(), 1), ms(c.handshakeP50()), ms(c.handshakeP99()),
                    ms(c.handshakeMax()), c.joined(), ms(c.joinP50()), ms(c.joinP99()), ms(c.joinMax())));
            c.failures().forEach((reason, n) -> out.println("  failed " + n + ": " + reason));
        }
        out.println(String.format(Locale.ROOT, "window: %s s", decimal(r.windowSeconds(), 1)));
        if (healthy > 0) {
            LoadReport.Latency l = r.latency();
            out.println(String.format(Locale.ROOT, "latency, time to arrival: p50 %s ms, p90 %s ms, p99 %s ms, max %s ms"
                    + " (%d updates)", ms(l.p50()), ms(l.p90()), ms(l.p99()), ms(l.max()), l.updates()));
            Spread u = r.updatesPerSecond();
            out.println(String.format(Locale.ROOT, "updates per viewer per second: median %s, min %s, max %s",
                    decimal(u.median(), 2), decimal(u.min(), 2), decimal(u.max(), 2)));
            Spread b = r.bytesPerSecond();
            out.println(String.format(Locale.ROOT, "bytes per viewer per second: median %s, min %s, max %s (all viewers %s/s)",
                    bytes(b.median()), bytes(b.min()), bytes(b.max()), bytes(r.bytesPerSecondAll())));
            out.println(String.format(Locale.ROOT, "delivery: the worst-served viewer got %s of the best-served one's"
                    + " updates; %d of %d below %s", percent(u.worstFraction()), u.below(), u.viewers(),
                    percent(u.threshold())));
            out.println(String.format(Locale.ROOT, "catch-up histories (a viewer skipped for a full socket): %d;"
                    + " connections closed: %s", r.catchUps(), counts(r.closed())));
        }
        if (r.slow() > 0) {
            LoadReport.Slow s = r.slowViewers();
            out.println(String.format(Locale.ROOT, "slow viewers: %d connected and stopped reading; after the window"
                    + " they read %s in %d s; at the end: %s", s.connected(), bytes(s.bytesDrained()),
                    ViewerGroup.DRAIN_MS / 1000, counts(s.outcome())));
        }
        out.println(String.format(Locale.ROOT, "updates the server skipped for full sockets in the window: %s",
                whole(r.slowViewers().droppedByServer())));
        out.println(String.format(Locale.ROOT, "training: %s it/s during the window, %s it/s before any viewer: %s;"
                + " %s it/s after they left (the server's itPerSec, median: %s during, %s before, %s after)",
                whole(r.trainingDuring().itPerSec()), whole(r.trainingBefore().itPerSec()), percent(r.trainingRatio()),
                whole(r.trainingAfter().itPerSec()), whole(r.trainingDuring().itPerSecMedian()),
                whole(r.trainingBefore().itPerSecMedian()), whole(r.trainingAfter().itPerSecMedian())));
        LoadReport.ServerSide s = r.server();
        out.println(String.format(Locale.ROOT, "server: heap %s in use at the end (peak %s, limit %s), %s live threads"
                + " (peak %s), %s cores of CPU, %s files open, %s messages sent", bytes(s.heapUsedBytes()),
                bytes(s.heapPeakBytes()), bytes(s.heapMaxBytes()), whole(s.threads()), whole(s.threadsPeak()),
                decimal(s.cpuCores(), 2), whole(s.openFiles()), whole(s.messagesSent())));
        LoadReport.Clients k = r.clients();
        if (k.cpuCoresByProcess().length > 0) {
            StringBuilder each = new StringBuilder();
            for (int i = 0; i < k.cpuCoresByProcess().length; i++) {
                each.append(i == 0 ? "" : ", ").append(decimal(k.cpuCoresByProcess()[i], 2)).append(" (heap ")
                        .append(bytes(k.heapUsedByProcess()[i])).append(')');
            }
            out.println(String.format(Locale.ROOT, "clients: %s cores of CPU in the window; by process: %s",
                    decimal(k.cpuCores(), 2), each));
        }
    }

    private static String counts(Map<String, Integer> counts) {
        return counts.isEmpty() ? "none" : counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }

    static String bytes(double n) {
        if (Double.isNaN(n)) {
            return "-";
        }
        String[] units = {"B", "KiB", "MiB", "GiB"};
        double value = n;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
    }

    private static String ms(long value) {
        return value < 0 ? "-" : String.valueOf(value);
    }

    private static String whole(double value) {
        return Double.isNaN(value) || value < 0 ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String decimal(double value, int places) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + places + "f", value);
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }
}
