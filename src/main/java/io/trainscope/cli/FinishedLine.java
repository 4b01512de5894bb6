package io.trainscope.cli;

import io.trainscope.nn.Dataset;
import io.trainscope.nn.Network;
import io.trainscope.run.Training;

import java.util.Locale;

/** The line a finished run ends with: iterations, the final parameters' cost and accuracy, speed and time. */
final class FinishedLine {

    private FinishedLine() {
    }

    /**
     * Evaluates the final parameters (the last metrics point describes them before the last update), on the
     * training examples and on the held-out ones if any.
     */
    static String line(Training training, long iterations, double seconds) {
        Network network = training.trainer().network();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "finished %,d iterations in %.3f s (%s it/s): ",
                iterations, seconds, Progress.rate(iterations / Math.max(seconds, 1e-9))));
        line.append(evaluate(network, training.train(), "cost", "accuracy"));
        if (training.validation() != null) {
            line.append(", ").append(evaluate(network, training.validation(), "validation cost", "accuracy"));
        }
        return line.toString();
    }

    private static String evaluate(Network network, Dataset data, String costName, String accuracyName) {
        Network.Pass pass = network.pass(data.samples());
        double cost = network.forward(pass, data);
        double accuracy = network.accuracy(pass, data);
        return String.format(Locale.ROOT, "%s %.6g, %s %.4f", costName, cost, accuracyName, accuracy);
    }
}
