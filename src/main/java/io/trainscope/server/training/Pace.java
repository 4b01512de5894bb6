package io.trainscope.server.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.spec.SpecException;

/**
 * The server's extension to the run spec: {@code "pace": iterationsPerSecond} slows a run down so that a
 * class can watch it learn; absent or 0 trains as fast as the machine allows. The engine's spec knows
 * nothing of it, so it is taken out before the spec is parsed; {@link RunClock} then keeps a run to it.
 */
public final class Pace {

    public static final String FIELD = "pace";
    static final double MAX = 1_000_000;

    private Pace() {
    }

    /** Removes {@code pace} from {@code spec} and returns it (0 when absent). */
    static double take(ObjectNode spec) throws SpecException {
        JsonNode node = spec.remove(FIELD);
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.isNumber() || !Double.isFinite(node.doubleValue()) || node.doubleValue() < 0
                || node.doubleValue() > MAX) {
            throw new SpecException(FIELD, "must be a number of iterations per second from 0 (as fast as possible) to "
                    + (long) MAX + ", got " + node);
        }
        return node.doubleValue();
    }
}
