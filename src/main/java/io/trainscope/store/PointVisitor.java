package io.trainscope.store;

import io.trainscope.nn.StepMetrics;

import java.io.IOException;

/** Called for every point read, in order; {@code m} is reused between calls, so copy what must outlive one. */
@FunctionalInterface
public interface PointVisitor {
    void accept(StepMetrics m) throws IOException;
}
