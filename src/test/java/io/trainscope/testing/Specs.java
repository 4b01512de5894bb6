package io.trainscope.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Run specs the tests train. */
public final class Specs {

    private Specs() {
    }

    /** A [2, 8, 1] network on 64 XOR points at learning rate 0.5; {@code pace} > 0 slows it to that many iterations a second. */
    public static JsonObject xor(long iterations, double pace) {
        JsonObject spec = new JsonObject().put("layers", new JsonArray().add(2).add(8).add(1))
                .put("learningRate", 0.5).put("iterations", iterations).put("seed", 3)
                .put("dataset", new JsonObject().put("name", "xor").put("samples", 64).put("noise", 0.05).put("seed", 3));
        if (pace > 0) {
            spec.put("pace", pace);
        }
        return spec;
    }
}
