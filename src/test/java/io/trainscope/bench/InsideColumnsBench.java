package io.trainscope.bench;

import io.trainscope.nn.Dataset;
import io.trainscope.nn.Datasets;
import io.trainscope.nn.Init;
import io.trainscope.nn.Network;
import io.trainscope.nn.StepMetrics;
import io.trainscope.nn.Trainer;

import java.util.ArrayList;
import java.util.List;

/**
 * What the dead-ReLU fractions and update ratios cost, against a whole step, on speed.py's medium network
 * ([30,64,32,1], 569 examples): the scan of the hidden activations ({@link Network#deadFractions}) and the
 * ratios (a division per layer) timed alone and a step timed whole, in alternating rounds. The target is 5%.
 * {@code java -cp target/trainscope.jar:target/test-classes io.trainscope.bench.InsideColumnsBench [rounds]}
 */
public final class InsideColumnsBench {

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int[] sizes = {30, 64, 32, 1};
        Dataset data = Datasets.generate("gaussian", 569, 0.1, 1, 30);
        Network network = Network.create(sizes, Init.HE, 1);
        Trainer trainer = new Trainer(network, data, null, 0.01);
        StepMetrics m = trainer.newMetrics();
        Network.Pass pass = network.pass(data.samples());
        network.forward(pass, data);
        // The worst case for the scan: every hidden unit dead (zero weights, negative biases), every row read whole.
        List<double[]> zeros = new ArrayList<>();
        List<double[]> negative = new ArrayList<>();
        for (int l = 0; l < sizes.length - 1; l++) {
            zeros.add(new double[sizes[l] * sizes[l + 1]]);
            negative.add(java.util.stream.DoubleStream.generate(() -> -1).limit(sizes[l + 1]).toArray());
        }
        Network allDead = Network.of(sizes, zeros, negative);
        Network.Pass deadPass = allDead.pass(data.samples());
        allDead.forward(deadPass, data);
        double[] dead = new double[sizes.length - 2];
        double[] ratios = new double[sizes.length - 1];
        int steps = 1500;
        List<Double> shares = new ArrayList<>();
        List<Double> worst = new ArrayList<>();
        double sink = 0;
        for (int r = 0; r < rounds + 2; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                trainer.step(m);
            }
            double stepNs = (System.nanoTime() - start) / (double) steps;
            start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                network.deadFractions(pass, dead);
                for (int l = 0; l < ratios.length; l++) {
                    ratios[l] = m.learningRate * m.gradientNorms[l] / m.weightNorms[l];
                }
                sink += dead[0] + ratios[0];
            }
            double columnsNs = (System.nanoTime() - start) / (double) steps;
            start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                allDead.deadFractions(deadPass, dead);
                sink += dead[1];
            }
            double worstNs = (System.nanoTime() - start) / (double) steps;
            if (r >= 2) {
                shares.add(columnsNs / stepNs);
                worst.add(worstNs / stepNs);
                System.out.printf("round %d: step %.1f us, dead fractions and update ratios %.2f us (%.2f%%);"
                        + " every unit dead %.1f us (%.2f%%)%n", r - 1, stepNs / 1000, columnsNs / 1000,
                        100 * columnsNs / stepNs, worstNs / 1000, 100 * worstNs / stepNs);
            }
        }
        shares.sort(null);
        worst.sort(null);
        System.out.printf("median share of a step: %.2f%% (min %.2f%%, max %.2f%%); every unit dead: %.2f%%"
                        + " (max %.2f%%); target at most 5%%%s%n", 100 * shares.get(shares.size() / 2),
                100 * shares.get(0), 100 * shares.get(shares.size() - 1), 100 * worst.get(worst.size() / 2),
                100 * worst.get(worst.size() - 1), sink == 42 ? " " : "");
    }
}
