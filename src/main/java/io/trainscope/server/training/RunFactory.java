package io.trainscope.server.training;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.spec.SpecException;

/**
 * Turns a spec, as JSON, into a run ready to train, in two steps: {@link #check} is cheap and names the wrong
 * field; {@link Checked#prepare} allocates (datasets, network) and is called only once the run may start.
 */
@FunctionalInterface
public interface RunFactory {

    Checked check(ObjectNode spec) throws SpecException;

    /** A spec that passed its checks: what a run made from it will show, before anything is allocated. */
    interface Checked {
        /** The spec as viewers will see it ({@link PreparedRun#spec}). */
        com.fasterxml.jackson.databind.JsonNode spec();

        String description();

        long iterations();

        /** Weight layers. */
        int depth();

        /** May take a while: called off the event loop. */
        PreparedRun prepare() throws SpecException;
    }
}
