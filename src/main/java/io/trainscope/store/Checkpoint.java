package io.trainscope.store;

/**
 * A live run's parameters as kept on disk while it trains ({@code checkpoint.json}), so that a run cut short by a
 * crash can be continued from them.
 *
 * @param iteration    the iteration they entered: the first one a run continued from them trains
 * @param learningRate the rate that iteration's update would have used (the last live change at or before it)
 * @param keptAt       when they were written, epoch ms
 */
public record Checkpoint(long iteration, double learningRate, long keptAt) {
}
