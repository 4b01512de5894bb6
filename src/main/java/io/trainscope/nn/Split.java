package io.trainscope.nn;

import java.util.SplittableRandom;

/**
 * Examples divided into training and held-out validation sets by a seeded shuffle: the same data, fraction
 * and seed always give the same split.
 *
 * @param validation null when nothing is held out
 */
public record Split(Dataset train, Dataset validation) {

    /**
     * Holds out {@code round(fraction × samples)} examples, at least one when {@code fraction > 0}, chosen by a
     * Fisher–Yates shuffle seeded with {@code seed}. Both sides keep the shuffled order.
     *
     * @throws IllegalArgumentException when the fraction is outside {@code [0, 1)} or would leave no
     *                                  training example
     */
    public static Split of(Dataset data, double fraction, long seed) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in [0, 1), got " + fraction);
        }
        if (fraction == 0) {
            return new Split(data, null);
        }
        int m = data.samples();
        int held = Math.max(1, (int) Math.round(fraction * m));
        if (held >= m) {
            throw new IllegalArgumentException("holding out " + held + " of " + m
                    + " examples leaves none to train on");
        }
        int[] order = new int[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = m - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int[] train = new int[m - held];
        int[] validation = new int[held];
        System.arraycopy(order, 0, train, 0, train.length);
        System.arraycopy(order, train.length, validation, 0, held);
        return new Split(data.select(train), data.select(validation));
    }
}
