package io.trainscope.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.server.bus.Addresses;
import io.trainscope.server.bus.CommandReply;
import io.trainscope.server.bus.RunCommand;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.server.bus.RunView;
import io.trainscope.server.bus.RunsView;
import io.trainscope.spec.StrictJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code serve --demo}: a run worth watching from the first second. A two-class spiral is hard enough that
 * the cost curve has shape (a plateau, then the fall to ~0.07 as the net untangles the arms, accuracy 0.5 to
 * 0.97, validation 0.94); at learning rate 0.2 with this seed it falls without the spikes that 0.3 shows.
 * 150 iterations a second for 8000 iterations lasts under a minute.
 */
public final class Demo {

    static final String SPEC = """
            {"name": "demo: spiral", "layers": [2, 16, 16, 8, 1], "learningRate": 0.2, "iterations": 8000,
             "init": "he", "seed": 7, "dataset": {"name": "spiral", "samples": 400, "noise": 0.05, "seed": 7},
             "validationSplit": 0.2, "pace": 150}
            """;

    private Demo() {
    }

    static ObjectNode spec() {
        try {
            return (ObjectNode) StrictJson.read(SPEC);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the demo spec is not JSON", e);
        }
    }

    /** Starts the demo run; fails with the server's reason if it is refused. */
    public static Future<String> start(Vertx vertx) {
        return vertx.eventBus().<CommandReply>request(Addresses.COMMANDS, RunCommand.start(spec()))
                .compose(reply -> reply.body().succeeded() ? Future.succeededFuture(reply.body().run().id())
                        : Future.failedFuture(reply.body().error()));
    }

    /**
     * {@code serve --demo} on a data directory that holds the demo runs of earlier starts: they are deleted first
     * (those still named as the demo names them and no longer training), so that the list holds one demo run, not
     * one more each restart. A demo run that is still live or queued is kept and no new one starts.
     */
    public static Future<String> restart(Vertx vertx, RunsView runs) {
        String name = spec().get("name").asText();
        List<Future<?>> deleted = new ArrayList<>();
        for (RunView run : runs.list()) {
            RunSnapshot s = run.snapshot();
            if (!name.equals(s.name())) {
                continue;
            }
            if (!s.status().ended()) {
                return Future.succeededFuture(s.id());
            }
            deleted.add(vertx.eventBus().request(Addresses.COMMANDS,
                    RunCommand.control(RunCommand.Kind.DELETE, s.id())));
        }
        return Future.join(deleted).transform(done -> start(vertx));
    }
}
