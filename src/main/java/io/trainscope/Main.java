package io.trainscope;

import io.trainscope.cli.LoadCommand;
import io.trainscope.cli.LoadWorkerCommand;
import io.trainscope.cli.ServeCommand;
import io.trainscope.cli.TrainCommand;
import io.trainscope.cli.WorkerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code java -jar trainscope.jar [serve] [options]} or {@code java -jar trainscope.jar train SPEC.json}.
 * {@code serve} is the default command (CONTRACT.md, "Build and run").
 */
@Command(name = "trainscope", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A live neural-network training dashboard.",
        subcommands = {ServeCommand.class, TrainCommand.class, WorkerCommand.class, LoadCommand.class,
                LoadWorkerCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Parses and runs a command line; returns the process exit code. */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(withDefaultCommand(args));
    }

    /** Inserts {@code serve} when no command is named: nothing at all, or options only. */
    static String[] withDefaultCommand(String[] args) {
        boolean named = args.length > 0 && (args[0].equals("serve") || args[0].equals("train")
                || args[0].equals("worker") || args[0].equals("load") || args[0].equals("load-worker")
                || args[0].equals("help") || args[0].equals("-h") || args[0].equals("--help")
                || args[0].equals("-V") || args[0].equals("--version"));
        if (named) {
            return args;
        }
        String[] withServe = new String[args.length + 1];
        withServe[0] = "serve";
        System.arraycopy(args, 0, withServe, 1, args.length);
        return withServe;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"trainscope " + (version == null ? "dev" : version)};
        }
    }
}
