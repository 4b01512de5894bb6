package io.trainscope.server.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One run a start asks for: its spec as given, where the request named it (for errors: {@code specs[2]}, or null for
 * a start of one run), and the sweep label it is to carry (null when it is not one of a sweep).
 */
public record NewRun(ObjectNode spec, String path, JsonNode sweep) {

    /** A start of one run, on its own. */
    public static NewRun single(ObjectNode spec) {
        return new NewRun(spec, null, null);
    }
}
