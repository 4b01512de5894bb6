package io.trainscope.load;

import java.util.ArrayList;
import java.util.List;

/**
 * The server read about once a second over a stretch of time: the run's progress and {@code /metrics}. A read that
 * fails or times out (a server too busy to answer) is left out; the rest still count.
 *
 * @param first      the run at the start (null if that read failed)
 * @param last       the run at the end
 * @param itPerSec   the server's own {@code itPerSec} at each read
 * @param firstScrape {@code /metrics} at the start ({@link Scrape#NONE} if it failed)
 * @param lastScrape {@code /metrics} at the end
 * @param heapPeak   the most heap in use in any read; NaN if none
 * @param threadsPeak the most live threads in any read
 */
record Phase(RunSample first, RunSample last, List<Double> itPerSec, Scrape firstScrape, Scrape lastScrape,
             double heapPeak, double threadsPeak) {

    static final long SAMPLE_MS = 1000;
    static final String HEAP_USED = "trainscope_jvm_memory_used_bytes";
    static final String HEAP_MAX = "trainscope_jvm_memory_max_bytes";
    static final String HEAP = "area=\"heap\"";
    static final String THREADS = "trainscope_jvm_threads_live_threads";

    /** Reads the server from now until {@code untilMs} (epoch ms), once at each end and about every second between. */
    static Phase sample(ServerProbe probe, String runId, long untilMs) throws InterruptedException {
        List<RunSample> runs = new ArrayList<>();
        List<Scrape> scrapes = new ArrayList<>();
        while (true) {
            read(probe, runId, runs, scrapes);
            long left = untilMs - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            Thread.sleep(Math.min(SAMPLE_MS, left));
        }
        List<Double> rates = new ArrayList<>();
        for (RunSample run : runs) {
            rates.add(run.itPerSec());
        }
        double heapPeak = Double.NaN;
        double threadsPeak = Double.NaN;
        for (Scrape scrape : scrapes) {
            heapPeak = max(heapPeak, scrape.sum(HEAP_USED, HEAP));
            threadsPeak = max(threadsPeak, scrape.value(THREADS));
        }
        return new Phase(runs.isEmpty() ? null : runs.get(0), runs.isEmpty() ? null : runs.get(runs.size() - 1), rates,
                scrapes.isEmpty() ? Scrape.NONE : scrapes.get(0),
                scrapes.isEmpty() ? Scrape.NONE : scrapes.get(scrapes.size() - 1), heapPeak, threadsPeak);
    }

    private static void read(ServerProbe probe, String runId, List<RunSample> runs, List<Scrape> scrapes) {
        try {
            runs.add(probe.run(runId));
        } catch (LoadException e) {
            // A busy server's late answer is a read missed, not a test lost.
        }
        Scrape scrape = probe.metrics();
        if (scrape.present()) {
            scrapes.add(scrape);
        }
    }

    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    LoadReport.Training training() {
        if (first == null || last == null || first == last) {
            return LoadReport.Training.NONE;
        }
        return new LoadReport.Training(last.rateSince(first), median(itPerSec), itPerSec.size());
    }

    /** How much {@code name} grew over the phase (a counter), NaN unless both ends were read. */
    double delta(String name) {
        return lastScrape.value(name) - firstScrape.value(name);
    }

    /** A counter of nanoseconds as cores over the phase. */
    double cores(String nanosCounter) {
        double seconds = (lastScrape.atMs() - firstScrape.atMs()) / 1000.0;
        return seconds <= 0 ? Double.NaN : delta(nanosCounter) / 1e9 / seconds;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().filter(v -> !Double.isNaN(v)).sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
