package io.trainscope.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.bus.Addresses;
import io.trainscope.server.bus.CommandReply;
import io.trainscope.server.bus.RunCommand;
import io.trainscope.server.bus.RunView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How long stop and pause take to act on a large network ([784,256,128,1] on 2048 examples): the time from
 * sending the command on the event bus to its reply, which comes once the run has stopped training. Prints
 * each measurement; the target is 100 ms. {@code java -cp … io.trainscope.bench.ControlLatencyBench [rounds]}
 */
public final class ControlLatencyBench {

    static final String SPEC = "{\"layers\": [784, 256, 128, 1], \"learningRate\": 0.01, \"iterations\": 100000000,"
            + " \"dataset\": {\"name\": \"gaussian\", \"samples\": 2048, \"features\": 784, \"seed\": 5}}";

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Vertx vertx = Vertx.vertx();
        Server server = await(Server.start(vertx, ServerConfig.defaults().withPort(0)));
        List<Double> pause = new ArrayList<>();
        List<Double> stop = new ArrayList<>();
        double perIteration = 0;
        for (int r = 0; r < rounds; r++) {
            CommandReply started = command(vertx, RunCommand.start((ObjectNode) new ObjectMapper().readTree(SPEC)));
            RunView run = server.runs().find(started.run().id());
            while (run.history().size() < 10) {
                Thread.sleep(5);
            }
            // A random moment within an iteration.
            Thread.sleep((long) (Math.random() * 50));
            long before = System.nanoTime();
            command(vertx, RunCommand.control(RunCommand.Kind.PAUSE, run.id()));
            pause.add((System.nanoTime() - before) / 1e6);
            command(vertx, RunCommand.control(RunCommand.Kind.RESUME, run.id()));
            long resumed = run.history().size();
            while (run.history().size() < resumed + 3) {
                Thread.sleep(5);
            }
            Thread.sleep((long) (Math.random() * 50));
            before = System.nanoTime();
            CommandReply stopped = command(vertx, RunCommand.control(RunCommand.Kind.STOP, run.id()));
            stop.add((System.nanoTime() - before) / 1e6);
            perIteration = stopped.run().elapsedMs() / (double) stopped.run().iteration();
        }
        System.out.printf("[784,256,128,1] m=2048, %.1f ms per iteration (last run)%n", perIteration);
        System.out.println("pause ms: " + summary(pause));
        System.out.println("stop  ms: " + summary(stop));
        // Control waits for the iteration in progress: a chunk plus two iterations is the most it can take.
        double bound = ServerConfig.defaults().chunkMillis() + 2 * perIteration;
        long over = java.util.stream.Stream.concat(pause.stream(), stop.stream()).filter(ms -> ms > bound).count();
        System.out.printf("over a chunk plus two iterations (%.0f ms): %d of %d; over the 100 ms target: %d%n", bound,
                over, pause.size() + stop.size(),
                java.util.stream.Stream.concat(pause.stream(), stop.stream()).filter(ms -> ms > 100).count());
        await(vertx.close());
    }

    private static String summary(List<Double> ms) {
        List<Double> sorted = new ArrayList<>(ms);
        sorted.sort(null);
        return String.format("median %.1f, max %.1f, all %s", sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1),
                ms.stream().map(v -> String.format("%.0f", v)).toList());
    }

    private static CommandReply command(Vertx vertx, RunCommand command) throws Exception {
        CommandReply reply = await(vertx.eventBus().<CommandReply>request(Addresses.COMMANDS, command)).body();
        if (!reply.succeeded()) {
            throw new IllegalStateException(reply.error());
        }
        return reply;
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
    }
}
