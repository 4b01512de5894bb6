package io.trainscope.nn;

/**
 * The one rule for a learning rate, whoever gives it (a spec, a live change, a stored record, the trainer): a
 * finite number above zero.
 */
public final class LearningRate {

    /** The rule as error messages say it. */
    public static final String RULE = "a finite number > 0";

    private LearningRate() {
    }

    public static boolean valid(double rate) {
        return rate > 0 && Double.isFinite(rate);
    }

    /**
     * Returns {@code rate}.
     *
     * @throws IllegalArgumentException naming the rule, unless {@link #valid}
     */
    public static double check(double rate) {
        if (!valid(rate)) {
            throw new IllegalArgumentException("a learning rate must be " + RULE + ", got " + rate);
        }
        return rate;
    }
}
