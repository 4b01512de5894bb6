package io.trainscope.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainscope.nn.Network;
import io.trainscope.nn.StepMetrics;
import io.trainscope.nn.Trainer;
import io.trainscope.point.Points;
import io.trainscope.run.Training;
import io.trainscope.spec.DataSpec;
import io.trainscope.spec.ParametersJson;
import io.trainscope.spec.RunSpec;
import io.trainscope.spec.SpecException;
import io.trainscope.spec.SpecLimits;
import io.trainscope.spec.SpecParser;
import io.trainscope.wire.MetricsJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code train SPEC.json [--metrics-out F] [--params-out F]}: trains headless (CONTRACT.md, "Build and run"),
 * with progress on stderr and a summary line on stdout. Exit codes, for scripts:
 * {@value #FINISHED} finished; {@value #RUN_FAILED} the run failed (its numbers became non-finite);
 * {@value #INVALID_INPUT} invalid command line, spec or data file; {@value #OUTPUT_FAILED} an output file
 * could not be written. Every error is one line on stderr naming the field or file. Interrupted (Ctrl-C,
 * SIGTERM), it stops between iterations and closes the metrics file whole before the JVM exits.
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train headless from a run spec.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the run finished",
            "1:the run failed: its cost or a norm became non-finite (the message names the iteration)",
            "2:invalid command line, spec or data file (the message names the field or file)",
            "3:an output file could not be written",
            "4:with --cluster: the run was stopped from a dashboard",
            "130:interrupted (Ctrl-C or SIGTERM); the metrics file holds every iteration run"})
public final class TrainCommand implements Callable<Integer> {

    public static final int FINISHED = 0;
    public static final int RUN_FAILED = 1;
    public static final int INVALID_INPUT = 2;
    public static final int OUTPUT_FAILED = 3;
    /** With {@code --cluster}: stopped from a dashboard before it finished; its parameters are still written. */
    public static final int STOPPED = 4;
    /** Stopped by SIGINT or SIGTERM (128 + 2, as shells report Ctrl-C); the process exits with the signal's status. */
    public static final int INTERRUPTED = 130;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int OUTPUT_BUFFER = 1 << 16;

    @Spec
    CommandSpec command;

    @Parameters(index = "0", paramLabel = "SPEC.json", description = "The run spec (see docs/cli.md).")
    Path specFile;

    @Option(names = "--metrics-out", paramLabel = "FILE",
            description = "Write every iteration's metrics to FILE, one JSON object per line.")
    Path metricsOut;

    @Option(names = "--params-out", paramLabel = "FILE",
            description = "Write the final parameters to FILE, in the spec's initialParameters format.")
    Path paramsOut;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "With --cluster: where this node keeps its run, as"
            + " serve does (default: trainscope-data).")
    Path dataDir;

    @Mixin
    ClusterOptions clusterOptions;

    @Mixin
    KernelsOption kernels;

    @Override
    public Integer call() {
        PrintWriter err = command.commandLine().getErr();
        PrintWriter out = command.commandLine().getOut();
        try {
            String kernelsError = kernels.apply();
            if (kernelsError != null) {
                throw new Failure(INVALID_INPUT, kernelsError);
            }
            io.trainscope.server.cluster.ClusterConfig cluster;
            try {
                cluster = clusterOptions.config(false);
            } catch (IllegalArgumentException e) {
                throw new Failure(INVALID_INPUT, e.getMessage());
            }
            if (cluster == null && dataDir != null) {
                throw new Failure(INVALID_INPUT, "--data-dir needs --cluster (train keeps no run on disk otherwise)");
            }
            Training training = prepare();
            checkWritable(paramsOut);
            return cluster == null ? train(training, out, err) : trainClustered(training, cluster, out, err);
        } catch (Failure f) {
            err.println("train: " + f.getMessage());
            err.flush();
            return f.exitCode;
        } catch (OutOfMemoryError e) {
            err.println("train: out of memory; give the JVM more (-Xmx) or make the spec smaller");
            err.flush();
            return RUN_FAILED;
        }
    }

    private Training prepare() throws Failure {
        String text;
        try {
            text = Files.readString(specFile);
        } catch (NoSuchFileException e) {
            throw new Failure(INVALID_INPUT, specFile + ": no such file");
        } catch (MalformedInputException e) {
            throw new Failure(INVALID_INPUT, specFile + ": not a UTF-8 text file");
        } catch (IOException e) {
            throw new Failure(INVALID_INPUT, specFile + ": cannot read: " + e.getMessage());
        }
        Path baseDir = specFile.toAbsolutePath().getParent();
        RunSpec spec;
        try {
            spec = SpecParser.parse(text, SpecLimits.DEFAULT, baseDir);
        } catch (SpecException e) {
            throw new Failure(INVALID_INPUT, specFile + ": " + e.getMessage());
        }
        try {
            return Training.prepare(spec);
        } catch (SpecException e) {
            // A data file's errors name the file, line and column; any other names a field of the spec.
            boolean aboutFile = spec.data() instanceof DataSpec.Csv csv && e.field().startsWith(csv.path().toString());
            throw new Failure(INVALID_INPUT, aboutFile ? e.getMessage() : specFile + ": " + e.getMessage());
        }
    }

    private int train(Training training, PrintWriter out, PrintWriter err) throws Failure {
        Trainer trainer = training.trainer();
        StepMetrics m = trainer.newMetrics();
        // One point at a time, through the one JSON writer of points; reused, so the loop allocates nothing.
        Points point = new Points(trainer.network().depth(), 1);
        long iterations = training.spec().iterations();
        Progress progress = new Progress(err, iterations, System.console() != null);
        Interruption interruption = Interruption.watch();
        try (JsonGenerator metrics = openMetrics()) {
            err.println(KernelsOption.LINE + trainer.kernels());
            err.flush();
            for (long i = 0; i < iterations; i++) {
                if (interruption.requested()) {
                    progress.finish();
                    err.println("train: interrupted after " + i + " iterations"
                            + (metricsOut == null ? "" : "; " + metricsOut + " holds all of them"));
                    err.flush();
                    return INTERRUPTED;
                }
                trainer.step(m);
                if (metrics != null) {
                    point.clear();
                    point.add(m);
                    MetricsJson.writePoint(metrics, point, 0);
                    metrics.writeRaw('\n');
                }
                if (!m.finite()) {
                    progress.finish();
                    err.println("train: run failed: " + m.nonFiniteReason());
                    err.flush();
                    return RUN_FAILED;
                }
                progress.update(i + 1, m.cost);
            }
        } catch (IOException e) {
            progress.finish();
            throw new Failure(OUTPUT_FAILED, metricsOut + ": cannot write: " + e.getMessage());
        } finally {
            interruption.close();
        }
        double seconds = progress.elapsedSeconds();
        progress.finish();
        writeParams(trainer.network(), training.spec().layers());
        out.println(FinishedLine.line(training, iterations, seconds));
        out.flush();
        return FINISHED;
    }

    /** As {@link #train}, the run trained by this process as a node of {@code cluster} (docs/cluster.md). */
    private int trainClustered(Training training, io.trainscope.server.cluster.ClusterConfig cluster, PrintWriter out,
                               PrintWriter err) throws Failure {
        long iterations = training.spec().iterations();
        Progress progress = new Progress(err, iterations, System.console() != null);
        Interruption interruption = Interruption.watch();
        ClusterTraining.Ended ended;
        try (JsonGenerator metrics = openMetrics()) {
            err.println(KernelsOption.LINE + training.trainer().kernels());
            err.flush();
            ended = ClusterTraining.train(training, cluster,
                    dataDir != null ? dataDir : io.trainscope.server.ServerConfig.DEFAULT_DATA_DIR, metrics, progress,
                    interruption, err);
        } catch (ClusterTraining.Refused e) {
            progress.finish();
            throw new Failure(e.exitCode, e.getMessage());
        } catch (IOException e) {
            progress.finish();
            throw new Failure(OUTPUT_FAILED, (metricsOut == null ? "" : metricsOut + ": ") + "cannot write: "
                    + e.getMessage());
        } finally {
            interruption.close();
        }
        progress.finish();
        io.trainscope.server.bus.RunSnapshot run = ended.run();
        // The run's own training time, as without --cluster: joining the cluster (seconds) is not training.
        double seconds = run.elapsedMs() > 0 ? run.elapsedMs() / 1000.0 : progress.elapsedSeconds();
        switch (ended.exitCode()) {
            case INTERRUPTED -> err.println("train: interrupted after " + run.iteration() + " iterations; run " + run.id()
                    + " reads interrupted on the cluster");
            case RUN_FAILED -> err.println("train: run failed: " + run.reason());
            case STOPPED -> err.println("train: run " + run.id() + " was stopped from the cluster after "
                    + run.iteration() + " iterations");
            default -> out.println(FinishedLine.line(training, iterations, seconds));
        }
        if (ended.exitCode() == FINISHED || ended.exitCode() == STOPPED) {
            // The network this process made and the training verticle trained: it has stopped by now.
            writeParams(training.trainer().network(), training.spec().layers());
        }
        out.flush();
        err.flush();
        return ended.exitCode();
    }

    /** The metrics file, or null without {@code --metrics-out}; opened before training so a bad path fails first. */
    private JsonGenerator openMetrics() throws Failure {
        if (metricsOut == null) {
            return null;
        }
        try {
            OutputStream file = new BufferedOutputStream(Files.newOutputStream(metricsOut), OUTPUT_BUFFER);
            JsonGenerator generator = new JsonFactory().createGenerator(file);
            generator.setRootValueSeparator(null);
            return generator;
        } catch (IOException e) {
            throw new Failure(OUTPUT_FAILED, metricsOut + ": cannot write: " + reason(e));
        }
    }

    /** Fails before a long run rather than after it when the parameters file cannot be created. */
    private static void checkWritable(Path file) throws Failure {
        if (file == null) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file) || parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
            throw new Failure(OUTPUT_FAILED, file + ": cannot write: "
                    + (Files.isDirectory(file) ? "it is a directory" : "its directory does not exist or is not writable"));
        }
    }

    private void writeParams(Network network, int[] layers) throws Failure {
        if (paramsOut == null) {
            return;
        }
        try {
            JSON.writeValue(paramsOut.toFile(), ParametersJson.write(ParametersJson.of(network), layers));
        } catch (IOException e) {
            throw new Failure(OUTPUT_FAILED, paramsOut + ": cannot write: " + reason(e));
        }
    }

    private static String reason(IOException e) {
        return e instanceof NoSuchFileException ? "no such directory"
                : e.getClass().getSimpleName().replace("Exception", "").toLowerCase(Locale.ROOT) + " " + e.getMessage();
    }

    /** A user-facing failure: one line and the exit code it ends with. */
    private static final class Failure extends Exception {
        final int exitCode;

        Failure(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }
}
