package io.trainscope.spec;

/**
 * The one rule for a run's display name, whether a spec gives it or a rename does: a label, not a document, so
 * at most {@value #MAX_LENGTH} characters, and text that can be stored: a lone UTF-16 surrogate (valid in a JSON
 * string's escapes, {@code "\uD800"}, but no character at all) cannot be written as UTF-8 and is refused here,
 * before anything is stored.
 */
public final class Names {

    public static final int MAX_LENGTH = 200;

    private Names() {
    }

    /** @throws SpecException naming {@code field} when {@code name} breaks the rule */
    public static void check(String name, String field) throws SpecException {
        if (name.length() > MAX_LENGTH) {
            throw new SpecException(field, "must be at most " + MAX_LENGTH + " characters, got " + name.length());
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new SpecException(field, "must be text; character " + (i + 1)
                        + " is half of a UTF-16 surrogate pair (\\u" + Integer.toHexString(c).toUpperCase() + ")");
            }
        }
    }
}
