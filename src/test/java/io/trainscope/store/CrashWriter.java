package io.trainscope.store;

import io.trainscope.nn.StepMetrics;

import java.nio.file.Path;

/**
 * The process {@link CrashTest} kills: appends a known sequence of points to run "crash" as fast as it can
 * and prints {@code durable N} whenever more points reach the OS, as a server would before serving them.
 */
public final class CrashWriter {

    static final String RUN = "crash";
    static final int DEPTH = 3;

    public static void main(String[] args) throws Exception {
        RunStore store = RunStore.open(Path.of(args[0]));
        RunLog log = store.create(RUN, "crash test", "{\"layers\": [2, 16, 16, 1]}", DEPTH);
        log.onDurable(iteration -> {
            System.out.println("durable " + iteration);
            System.out.flush();
        });
        StepMetrics m = new StepMetrics(DEPTH);
        for (long i = 0; ; i++) {
            log.append(point(i, m));
        }
    }

    /** Point {@code i} of the sequence, a pure function of i so that the survivor can be checked bit for bit. */
    static StepMetrics point(long i, StepMetrics m) {
        m.iteration = i;
        m.cost = 1 / (1 + i * 1e-4);
        m.accuracy = (i % 100) / 100.0;
        for (int l = 0; l < DEPTH; l++) {
            m.weightNorms[l] = l + Math.sqrt(i);
            m.gradientNorms[l] = Math.abs(Math.sin(i * (l + 1) * 1e-3));
        }
        m.validationCost = i % 1000 == 999 ? Double.NaN : m.cost * 1.1;
        m.validationAccuracy = m.accuracy;
        m.learningRate = 0.5;
        return m;
    }
}
