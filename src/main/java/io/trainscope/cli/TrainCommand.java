package io.trainscope.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code train SPEC.json}: trains headless. Being written (issue 2). */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train headless from a run spec.")
public final class TrainCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("train: not built yet");
        return 2;
    }
}
