package io.trainscope.spec;

/**
 * A spec, data file or parameter set that cannot be used. The message is one line that names the field
 * (a JSON path such as {@code layers[2]}) or the file, line and column, and says what is wrong.
 */
public final class SpecException extends Exception {

    private final String field;
    private final String problem;

    public SpecException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    /** What is wrong with the field, without its name. */
    public String problem() {
        return problem;
    }

    /**
     * The same problem in a spec that is itself at {@code path} of a larger message: {@code specs[2]} turns
     * {@code learningRate} into {@code specs[2].learningRate}, and a spec as a whole ({@code spec}) into {@code specs[2]}.
     */
    public SpecException within(String path) {
        String inner = field == null || field.equals("spec") ? "" : field.startsWith("[") ? field : "." + field;
        return new SpecException(path + inner, problem);
    }

    /** The JSON path or file that is wrong, for showing the error beside the right form field. */
    public String field() {
        return field;
    }
}
