package io.trainscope.server.bus;

import io.trainscope.nn.Wiring;

/** A run's weights and biases after {@code iteration} iterations, as a network view draws them. */
public record NetworkSnapshot(String runId, long iteration, Wiring wiring) implements ViewSnapshot {

    @Override
    public View view() {
        return View.NETWORK;
    }
}
