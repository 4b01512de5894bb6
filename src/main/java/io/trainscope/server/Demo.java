package io.trainscope.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * {@code serve --demo}: a run worth watching from the first second. A two-class spiral is hard enough that
 * the cost curve has shape (a plateau, then the fall to ~0.09 as the net untangles the arms, accuracy 0.5 to
 * 0.96); 100 iterations a second for 6000 iterations lasts a minute.
 */
public final class Demo {

    static final String SPEC = """
            {"name": "demo: spiral", "layers": [2, 16, 16, 8, 1], "learningRate": 0.3, "iterations": 6000,
             "init": "he", "seed": 7, "dataset": {"name": "spiral", "samples": 400, "noise": 0.05, "seed": 7},
             "pace": 100}
            """;

    private Demo() {
    }

    static ObjectNode spec() {
        try {
            return (ObjectNode) Messages.MAPPER.readTree(SPEC);
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
}
