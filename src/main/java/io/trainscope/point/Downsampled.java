package io.trainscope.point;

/**
 * Iterations {@code from..to} (inclusive) of a run, as {@link Downsample} keeps them: every point when
 * {@code bucketSize} is 1, else each aligned bucket's first, last, least-cost and greatest-cost points.
 *
 * @param downsampled whether points were left out (the range held more than was asked for)
 */
public record Downsampled(long from, long to, long bucketSize, boolean downsampled, Points points) {
}
