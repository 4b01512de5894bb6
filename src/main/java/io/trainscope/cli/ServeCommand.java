package io.trainscope.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code serve}: starts the dashboard. Being written (issue 3). */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the dashboard (the default command).")
public final class ServeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("serve: not built yet");
        return 2;
    }
}
