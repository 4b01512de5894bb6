package io.trainscope.load;

import java.util.Arrays;

/**
 * One figure across viewers (updates or bytes each received in the window): its median, least and most, and how
 * the worst-served viewer compares with the best-served (issue 12 wants every viewer at 90% of the best or more).
 *
 * @param viewers       how many values
 * @param median        the middle value (the mean of the two middle ones for an even count); NaN for none
 * @param min           the least value; 0 for none
 * @param max           the largest value; 0 for none
 * @param worstFraction {@code min / max}; NaN when the best viewer got nothing
 * @param below         viewers under {@code threshold × max}
 * @param threshold     the fraction of the best that {@code below} counts against
 */
record Spread(int viewers, double median, double min, double max, double worstFraction, int below, double threshold) {

    static Spread of(long[] values, double threshold) {
        if (values.length == 0) {
            return new Spread(0, Double.NaN, 0, 0, Double.NaN, 0, threshold);
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        long min = sorted[0];
        long max = sorted[n - 1];
        int below = 0;
        for (long v : sorted) {
            if (v < threshold * max) {
                below++;
            }
        }
        return new Spread(n, median, min, max, max == 0 ? Double.NaN : (double) min / max, below, threshold);
    }

    /** The same spread with every figure divided by {@code seconds}: per viewer per second. */
    Spread perSecond(double seconds) {
        return new Spread(viewers, median / seconds, min / seconds, max / seconds, worstFraction, below, threshold);
    }
}
