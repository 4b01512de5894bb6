package io.trainscope.spec;

import java.util.Locale;
import java.util.Set;

/** Suggests the field a user probably meant: {@code learning_rate} and {@code learningrate} → {@code learningRate}. */
final class FieldNames {

    /** Edits allowed for a typo to count as a near miss; more would suggest unrelated names for short ones. */
    private static final int MAX_EDITS = 2;

    private FieldNames() {
    }

    /** The known name closest to {@code name}, or null when none is close. */
    static String nearest(String name, Set<String> known) {
        String key = normalise(name);
        String best = null;
        int bestDistance = MAX_EDITS + 1;
        for (String candidate : known) {
            int distance = distance(key, normalise(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Case, underscores, hyphens and spaces do not distinguish names: {@code learning_rate} is {@code learningrate}. */
    private static String normalise(String name) {
        return name.replaceAll("[_\\-\\s]", "").toLowerCase(Locale.ROOT);
    }

    /** Levenshtein distance, two rows at a time. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
