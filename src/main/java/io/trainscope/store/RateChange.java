package io.trainscope.store;

import java.util.ArrayList;
import java.util.List;

/**
 * A live change of a run's learning rate: from {@code iteration} on, the updates use {@code learningRate}.
 * Iteration i's point still describes the parameters as they entered i (CONTRACT.md), so a change at i first
 * shows in the cost of point i + 1. A run's changes are kept beside its spec, which stays as it started.
 */
public record RateChange(long iteration, double learningRate) {

    public RateChange {
        if (iteration < 0) {
            throw new IllegalArgumentException("a change's iteration counts from 0, got " + iteration);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("a learning rate must be finite and > 0, got " + learningRate);
        }
    }

    /** The rate iteration {@code iteration}'s update used: the last change at or before it, else {@code initial}. */
    public static double at(List<RateChange> changes, long iteration, double initial) {
        double rate = initial;
        for (RateChange change : changes) {
            if (change.iteration() > iteration) {
                break;
            }
            rate = change.learningRate();
        }
        return rate;
    }

    /** The rate in force after {@code changes}, or {@code initial} (the spec's) when there are none. */
    public static double current(List<RateChange> changes, double initial) {
        return changes.isEmpty() ? initial : changes.get(changes.size() - 1).learningRate();
    }

    /**
     * {@code changes} with the rate set to {@code rate} from {@code iteration} on, {@code changes} in order of
     * iteration and none past it. A change at the same iteration as the last one replaces it (that one never
     * applied to any update), and a change to the rate already in force is no change: the record lists only
     * rates that some update used.
     */
    public static List<RateChange> record(List<RateChange> changes, long iteration, double rate, double initial) {
        List<RateChange> kept = new ArrayList<>(changes);
        if (!kept.isEmpty() && kept.get(kept.size() - 1).iteration() > iteration) {
            throw new IllegalArgumentException("the last change is at iteration " + kept.get(kept.size() - 1).iteration()
                    + ", after " + iteration);
        }
        if (!kept.isEmpty() && kept.get(kept.size() - 1).iteration() == iteration) {
            kept.remove(kept.size() - 1);
        }
        if (rate != current(kept, initial)) {
            kept.add(new RateChange(iteration, rate));
        }
        return List.copyOf(kept);
    }
}
