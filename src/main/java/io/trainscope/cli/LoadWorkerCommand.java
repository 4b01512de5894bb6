package io.trainscope.cli;

import io.trainscope.load.Worker;
import picocli.CommandLine.Command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code load-worker}: one process of viewers that {@code load} starts; its job comes on stdin (not for people). */
@Command(name = "load-worker", hidden = true, description = "One process of viewers, started by `load`.")
public final class LoadWorkerCommand implements Callable<Integer> {

    @Override
    public Integer call() throws IOException, InterruptedException {
        return Worker.run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out);
    }
}
