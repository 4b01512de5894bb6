package io.trainscope.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.trainscope.load.LoadException;
import io.trainscope.load.LoadPlan;
import io.trainscope.load.LoadReport;
import io.trainscope.load.LoadRun;
import io.trainscope.load.ReportText;
import io.trainscope.load.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code load --viewers N URL}: WebSocket viewers in child processes against a server on this machine, and what they
 * and the server measured (issue 12; docs/performance.md, "Fan-out"). Progress on stderr, the report on stdout.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Connect many WebSocket viewers to a trainscope server on this machine and measure the fan-out.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:measured (viewers that failed to connect are in the report)",
            "1:could not measure: no server, no live run, a worker lost",
            "2:invalid command line, or a server that is not on loopback"})
public final class LoadCommand implements Callable<Integer> {

    public static final int MEASURED = 0;
    public static final int FAILED = 1;
    public static final int INVALID = 2;

    @Parameters(index = "0", arity = "0..1", paramLabel = "URL", description = "The server as the page is opened"
            + " (http://127.0.0.1:8080/, with ?token=T when it has one) or its WebSocket (ws://127.0.0.1:8080/ws)."
            + " Loopback only. Default: ${DEFAULT-VALUE}.")
    String url = "http://127.0.0.1:8080/";

    @Option(names = "--viewers", required = true, paramLabel = "N", description = "WebSocket viewers, slow ones included (0 measures"
            + " the training rate alone; at most " + LoadPlan.MAX_VIEWERS + ").")
    int viewers;

    @Option(names = "--slow", paramLabel = "K", description = "Of those, how many stop reading once connected (default: ${DEFAULT-VALUE}).")
    int slow;

    @Option(names = "--processes", paramLabel = "P", description = "Processes to spread the viewers over; 0 runs them in this one"
            + " (default: one per " + LoadPlan.VIEWERS_PER_PROCESS + " viewers, 2 to " + LoadPlan.MAX_DEFAULT_PROCESSES + ").")
    Integer processes;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "The measuring window (default: ${DEFAULT-VALUE}).")
    int duration = LoadPlan.DEFAULT_DURATION_SECONDS;

    @Option(names = "--warmup", paramLabel = "SECONDS",
            description = "From the last connection to the window (default: ${DEFAULT-VALUE}).")
    int warmup = LoadPlan.DEFAULT_WARMUP_SECONDS;

    @Option(names = "--baseline", paramLabel = "SECONDS",
            description = "Training rate read with no viewer, before they connect and after they leave, over this long"
                    + " (default: ${DEFAULT-VALUE}).")
    int baseline = LoadPlan.DEFAULT_BASELINE_SECONDS;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS",
            description = "All viewers must connect within this (default: ${DEFAULT-VALUE}).")
    int connectTimeout = LoadPlan.DEFAULT_CONNECT_TIMEOUT_SECONDS;

    @Option(names = "--connect-concurrency", paramLabel = "N",
            description = "Handshakes in flight at once, all processes together (default: ${DEFAULT-VALUE}).")
    int connectConcurrency = LoadPlan.DEFAULT_CONNECT_CONCURRENCY;

    @Option(names = "--run", paramLabel = "ID", description = "The live run to follow (default: the running one).")
    String runId;

    @Option(names = "--start", paramLabel = "SPEC.json",
            description = "Start this run (needs control: the token), follow it, and stop it at the end.")
    Path startSpec;

    @Option(names = "--query", paramLabel = "PARAMS",
            description = "Added to the WebSocket's URL, e.g. encoding=columns.")
    String query;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path json;

    @Override
    public Integer call() {
        LoadPlan plan;
        try {
            Target target = Target.parse(url, query, System.getenv("TRAINSCOPE_TOKEN"));
            String spec = startSpec == null ? null : Files.readString(startSpec);
            plan = new LoadPlan(target, viewers, slow, processes != null ? processes : LoadPlan.defaultProcesses(viewers),
                    duration, warmup, baseline, connectTimeout, connectConcurrency, runId, spec);
        } catch (IllegalArgumentException e) {
            System.err.println("load: " + e.getMessage());
            return INVALID;
        } catch (IOException e) {
            System.err.println("load: cannot read " + startSpec + ": " + e.getMessage());
            return INVALID;
        }
        LoadReport report;
        try {
            report = LoadRun.run(plan, System.err);
        } catch (LoadException e) {
            System.err.println("load: " + e.getMessage());
            return FAILED;
        }
        ReportText.print(report, System.out);
        if (json != null) {
            try {
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
            } catch (IOException e) {
                System.err.println("load: cannot write " + json + ": " + e.getMessage());
                return FAILED;
            }
        }
        return MEASURED;
    }
}
