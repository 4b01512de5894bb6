package io.trainscope.load;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Puts every process's reports and the server's reads together into one {@link LoadReport}. */
final class Reports {

    /** The bar: every viewer gets at least 90% of the best-served viewer's updates. */
    static final double DELIVERY_THRESHOLD = 0.9;

    private Reports() {
    }

    static LoadReport build(LoadPlan plan, int processes, String runId, LoadReport.Limits limits, Window window,
                            Phase before, Phase during, Phase after, List<ConnectReport> connects,
                            List<GroupReport> reports) {
        double seconds = window.seconds();
        return new LoadReport(plan.target().shown(), runId, plan.viewers(), plan.slow(), plan.processes() == 0 ? 0 : processes,
                seconds, limits, connect(connects, reports), before.training(), during.training(), after.training(),
                latency(reports),
                Spread.of(concat(reports, GroupReport::updates), DELIVERY_THRESHOLD).perSecond(seconds),
                Spread.of(concat(reports, GroupReport::bytes), DELIVERY_THRESHOLD).perSecond(seconds),
                sum(concat(reports, GroupReport::bytes)) / seconds, sum(concat(reports, GroupReport::catchUps)),
                merge(reports.stream().map(GroupReport::closed).toList()), slow(reports, during),
                server(during), clients(reports, seconds));
    }

    static LoadReport.Connect connect(List<ConnectReport> connects, List<GroupReport> reports) {
        int attempted = 0;
        int connected = 0;
        long first = Long.MAX_VALUE;
        long last = 0;
        Histogram handshakes = new Histogram();
        for (ConnectReport c : connects) {
            attempted += c.attempted();
            connected += c.connected();
            first = Math.min(first, c.firstAttemptAt());
            last = Math.max(last, c.lastConnectedAt());
            handshakes.add(c.handshakeMs());
        }
        Histogram joins = new Histogram();
        for (GroupReport r : reports) {
            joins.add(r.joinMs());
        }
        double seconds = connected == 0 ? Double.NaN : (last - first) / 1000.0;
        return new LoadReport.Connect(attempted, connected, seconds, handshakes.percentile(0.5),
                handshakes.percentile(0.99), handshakes.max(), joins.count(), joins.percentile(0.5),
                joins.percentile(0.99), joins.max(), merge(connects.stream().map(ConnectReport::failures).toList()));
    }

    static LoadReport.Latency latency(List<GroupReport> reports) {
        Histogram latency = new Histogram();
        for (GroupReport r : reports) {
            latency.add(r.latency());
        }
        return new LoadReport.Latency(latency.count(), latency.percentile(0.5), latency.percentile(0.9),
                latency.percentile(0.99), latency.max());
    }

    private static LoadReport.Slow slow(List<GroupReport> reports, Phase during) {
        int connected = 0;
        long drained = 0;
        for (GroupReport r : reports) {
            connected += r.slow().connected();
            drained += r.slow().bytesDrained();
        }
        return new LoadReport.Slow(connected, during.delta("trainscope_messages_dropped_total"), drained,
                merge(reports.stream().map(r -> r.slow().outcome()).toList()));
    }

    private static LoadReport.ServerSide server(Phase during) {
        Scrape end = during.lastScrape();
        return new LoadReport.ServerSide(end.sum(Phase.HEAP_USED, Phase.HEAP), during.heapPeak(),
                end.sum(Phase.HEAP_MAX, Phase.HEAP), end.value(Phase.THREADS), during.threadsPeak(),
                during.cores("trainscope_process_cpu_time_ns_total"), end.value("trainscope_process_files_open_files"),
                during.delta("trainscope_messages_sent_total"));
    }

    private static LoadReport.Clients clients(List<GroupReport> reports, double seconds) {
        double[] cores = new double[reports.size()];
        long[] heaps = new long[reports.size()];
        double total = 0;
        double sinceStart = 0;
        for (int i = 0; i < reports.size(); i++) {
            cores[i] = reports.get(i).cpuWindowSeconds() / seconds;
            heaps[i] = reports.get(i).heapUsedBytes();
            total += cores[i];
            sinceStart += reports.get(i).cpuTotalSeconds();
        }
        return new LoadReport.Clients(reports.isEmpty() ? Double.NaN : total, cores, heaps,
                reports.isEmpty() ? Double.NaN : sinceStart);
    }

    static long[] concat(List<GroupReport> reports, java.util.function.Function<GroupReport, long[]> part) {
        return reports.stream().map(part).flatMapToLong(java.util.Arrays::stream).toArray();
    }

    private static long sum(long[] values) {
        long sum = 0;
        for (long v : values) {
            sum += v;
        }
        return sum;
    }

    static Map<String, Integer> merge(List<Map<String, Integer>> counts) {
        Map<String, Integer> merged = new TreeMap<>();
        for (Map<String, Integer> c : counts) {
            c.forEach((key, n) -> merged.merge(key, n, Integer::sum));
        }
        return merged;
    }
}
