package io.trainscope.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.spec.SpecException;

/** Turns a spec, as JSON, into a run ready to train; names the wrong field when it cannot. */
@FunctionalInterface
public interface RunFactory {

    /** May take a while (datasets are generated, networks allocated): called off the event loop. */
    PreparedRun prepare(ObjectNode spec) throws SpecException;
}
