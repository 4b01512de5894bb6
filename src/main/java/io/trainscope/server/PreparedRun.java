package io.trainscope.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainscope.nn.Trainer;

/**
 * A checked spec made ready to train: its trainer (network and data allocated), the spec as JSON for
 * viewers, and what the server needs to pace and end it.
 */
public record PreparedRun(Trainer trainer, JsonNode spec, String description, long iterations) {
}
