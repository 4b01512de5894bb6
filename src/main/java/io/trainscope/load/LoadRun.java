package io.trainscope.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One load test, start to end: the training rate with no viewer, the viewers' connections, a warm-up, the
 * measuring window, every process's report, the rate with no viewer again, and the run stopped if this test
 * started it. Progress goes to
 * {@code progress} as it happens; the figures come back as a {@link LoadReport}.
 */
public final class LoadRun {

    /** The least time between sending the window and its start, so that every worker has it before it opens. */
    static final long WINDOW_NOTICE_MS = 500;
    /** After a start, before the baseline: the run's first chunks (and the JIT) are not its speed. */
    static final long STARTED_RUN_SETTLE_MS = 2000;
    static final long TICK_MS = 5000;

    /** Makes the group of viewers numbered {@code index}. */
    interface Groups {
        Group make(int index, Job job) throws LoadException;
    }

    private final LoadPlan plan;
    private final PrintStream progress;
    private final Groups groups;
    private final ServerProbe probe;

    LoadRun(LoadPlan plan, PrintStream progress, Groups groups) {
        this.plan = plan;
        this.progress = progress;
        this.groups = groups;
        this.probe = new ServerProbe(plan.target());
    }

    /** Viewers in {@code load-worker} processes, or in this one when {@code plan.processes()} is 0. */
    public static LoadReport run(LoadPlan plan, PrintStream progress) throws LoadException {
        return new LoadRun(plan, progress, plan.processes() == 0 ? (index, job) -> new LocalGroup(job) : ChildGroup::new)
                .run();
    }

    LoadReport run() throws LoadException {
        probe.health();
        String runId = plan.startSpec() != null ? probe.start(plan.startSpec()) : probe.liveRun(plan.runId());
        // A run this test started is stopped at its end, and also when the tool is stopped (Ctrl-C): it may be
        // 10^8 iterations long, and nobody else knows it was only a test's.
        Thread stopper = new Thread(() -> stopQuietly(runId), "trainscope-load-stop");
        if (plan.startSpec() != null) {
            Runtime.getRuntime().addShutdownHook(stopper);
        }
        List<Group> made = new ArrayList<>();
        try {
            if (plan.startSpec() != null) {
                progress.println("started run " + runId + "; it is stopped at the end");
                Thread.sleep(STARTED_RUN_SETTLE_MS);
            }
            progress.printf("following run %s; training rate with no viewer, over %d s…%n", runId, plan.baselineSeconds());
            Phase before = Phase.sample(probe, runId, System.currentTimeMillis() + plan.baselineSeconds() * 1000L);
            LoadReport.Limits limits = new LoadReport.Limits(ThisProcess.openFilesLimit(), localPorts(),
                    before.lastScrape().value("trainscope_process_files_max_files"));
            Warnings.print(progress, plan, limits);
            int processes = plan.viewers() == 0 ? 0 : Math.max(1, plan.processes());
            for (int g = 0; g < processes; g++) {
                made.add(groups.make(g, job(g, processes, runId)));
            }
            if (processes > 0) {
                progress.printf("connecting %d viewers in %s…%n", plan.viewers(),
                        plan.processes() == 0 ? "this process" : processes + " processes");
            }
            List<ConnectReport> connects = new ArrayList<>();
            Thread ticker = ticker(plan.viewers());
            try {
                for (Group group : made) {
                    connects.add(group.connected());
                }
            } finally {
                ticker.interrupt();
            }
            long from = System.currentTimeMillis() + Math.max(WINDOW_NOTICE_MS, plan.warmupSeconds() * 1000L);
            Window window = new Window(from, from + plan.durationSeconds() * 1000L);
            for (Group group : made) {
                group.window(window);
            }
            progress.printf("connected; measuring for %d s after %d s of warm-up…%n", plan.durationSeconds(),
                    plan.warmupSeconds());
            long wait = from - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            Phase during = Phase.sample(probe, runId, window.to());
            List<GroupReport> reports = new ArrayList<>();
            for (Group group : made) {
                reports.add(group.report());
            }
            closeAll(made);
            // Again with no viewer: on a shared machine the rate drifts, and before and after together show how much.
            progress.printf("viewers gone; training rate with no viewer again, over %d s…%n", plan.baselineSeconds());
            Phase after = Phase.sample(probe, runId, System.currentTimeMillis() + plan.baselineSeconds() * 1000L);
            return Reports.build(plan, processes, runId, limits, window, before, during, after, connects, reports);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadException("interrupted");
        } finally {
            closeAll(made);
            if (plan.startSpec() != null && removed(stopper)) {
                stopQuietly(runId);
            }
        }
    }

    /** False when the JVM is already shutting down, and the hook stops the run. */
    private static boolean removed(Thread hook) {
        try {
            return Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private void stopQuietly(String runId) {
        try {
            probe.stop(runId);
        } catch (LoadException e) {
            progress.println("warning: " + e.getMessage());
        }
    }

    private static void closeAll(List<Group> groups) {
        for (Group group : groups) {
            group.close();
        }
        groups.clear();
    }

    /** While viewers connect, says every {@link #TICK_MS} how many the server counts: a connect phase can take minutes. */
    private Thread ticker(int viewers) {
        long start = System.nanoTime();
        Thread ticker = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(TICK_MS);
                    double on = probe.metrics().value("trainscope_viewers");
                    progress.printf("  %s of %d viewers on the server after %d s%n", Double.isNaN(on) ? "?" : (long) on,
                            viewers, (System.nanoTime() - start) / 1_000_000_000L);
                }
            } catch (InterruptedException e) {
                // Connecting is over.
            }
        }, "trainscope-load-ticker");
        ticker.setDaemon(true);
        ticker.start();
        return ticker;
    }

    /** Group {@code g}'s share: viewers and slow ones dealt out evenly, as are handshakes in flight. */
    private Job job(int g, int groups, String runId) {
        int viewers = plan.viewers() / groups + (g < plan.viewers() % groups ? 1 : 0);
        int slow = plan.slow() / groups + (g < plan.slow() % groups ? 1 : 0);
        return new Job(plan.target().host(), plan.target().port(), plan.target().wsUri(), runId, viewers, slow,
                plan.connectTimeoutSeconds() * 1000L, Math.max(1, plan.connectConcurrency() / groups));
    }

    /** The kernel's range of local ports for outgoing connections (one a viewer), "" where it cannot be read. */
    static String localPorts() {
        // Read as a stream: a /proc file says it is empty, and Files.readString then stops after one byte.
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().replaceAll("\\s+", "-");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
