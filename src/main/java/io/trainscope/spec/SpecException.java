package io.trainscope.spec;

/**
 * A spec, data file or parameter set that cannot be used. The message is one line that names the field
 * (a JSON path such as {@code layers[2]}) or the file, line and column, and says what is wrong.
 */
public final class SpecException extends Exception {

    private final String field;

    public SpecException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /** The JSON path or file that is wrong, for showing the error beside the right form field. */
    public String field() {
        return field;
    }
}
