package io.trainscope.spec;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Typed, strict reads from a Jackson tree, each failing with a {@link SpecException} that names the value by
 * its JSON path ({@code layers[2]}, {@code dataset.noise}) and quotes what was found.
 */
final class JsonFields {

    /** Longest quotation of a bad value in a message; one line, whatever was sent. */
    private static final int QUOTE_LIMIT = 40;

    private JsonFields() {
    }

    static String child(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    static String index(String path, int i) {
        return path + "[" + i + "]";
    }

    /** The node as JSON text, shortened, for "got …" in messages. */
    static String quote(JsonNode node) {
        String text = node == null ? "nothing" : node.toString();
        return text.length() <= QUOTE_LIMIT ? text : text.substring(0, QUOTE_LIMIT - 1) + "…";
    }

    static SpecException invalid(String path, String requirement, JsonNode got) {
        return new SpecException(path, "must be " + requirement + ", got " + quote(got));
    }

    /** The object at {@code path}, refusing any field not in {@code known} (with a suggestion for near misses). */
    static JsonNode object(JsonNode node, String path, Set<String> known) throws SpecException {
        if (node == null || !node.isObject()) {
            throw invalid(path.isEmpty() ? "spec" : path, "an object", node);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw unknownField(child(path, name), name, known);
            }
        }
        return node;
    }

    static SpecException unknownField(String path, String name, Set<String> known) {
        String suggestion = FieldNames.nearest(name, known);
        String problem = suggestion != null
                ? "unknown field; did you mean \"" + suggestion + "\"?"
                : "unknown field (known: " + String.join(", ", known) + ")";
        return new SpecException(path, problem);
    }

    static JsonNode required(JsonNode parent, String field, String path, String what) throws SpecException {
        JsonNode node = parent.get(field);
        if (node == null) {
            throw new SpecException(child(path, field), "missing; " + what);
        }
        return node;
    }

    /** An integer in {@code [min, max]}; a whole number written with a fraction or exponent ({@code 1e3}) counts. */
    static long integer(JsonNode node, String path, long min, long max) throws SpecException {
        boolean whole = node != null && node.isNumber()
                && (node.isIntegralNumber()
                || Double.isFinite(node.doubleValue()) && node.doubleValue() == Math.rint(node.doubleValue()));
        // Whole numbers beyond a long are out of range rather than not integers.
        boolean fits = whole && (node.isIntegralNumber() ? node.canConvertToLong() : Math.abs(node.doubleValue()) < 0x1p63);
        boolean negative = whole && node.doubleValue() < 0;
        if (!whole || (fits ? node.longValue() < min : negative)) {
            throw invalid(path, "an integer >= " + min, node);
        }
        if (!fits || node.longValue() > max) {
            throw new SpecException(path, "must be at most " + max + ", got " + quote(node));
        }
        return node.longValue();
    }

    static int integer(JsonNode node, String path, int min, int max) throws SpecException {
        return (int) integer(node, path, (long) min, (long) max);
    }

    static double finite(JsonNode node, String path) throws SpecException {
        if (node == null || !node.isNumber() || !Double.isFinite(node.doubleValue())) {
            throw invalid(path, "a finite number", node);
        }
        return node.doubleValue();
    }

    static String string(JsonNode node, String path) throws SpecException {
        if (node == null || !node.isTextual()) {
            throw invalid(path, "a string", node);
        }
        return node.textValue();
    }

    /** One of {@code choices} (lower case), quoted in the message when not. */
    static String choice(JsonNode node, String path, List<String> choices) throws SpecException {
        String requirement = "one of \"" + String.join("\", \"", choices) + "\"";
        if (node == null || !node.isTextual() || !choices.contains(node.textValue().toLowerCase(Locale.ROOT))) {
            throw invalid(path, requirement, node);
        }
        return node.textValue().toLowerCase(Locale.ROOT);
    }

    /**
     * A rectangular array of arrays of finite numbers, flattened row-major. {@code rows} and {@code cols} of
     * the result tell its shape; the caller compares it with what it expects.
     */
    static Matrix matrix(JsonNode node, String path) throws SpecException {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw invalid(path, "a non-empty array of rows", node);
        }
        int rows = node.size();
        JsonNode first = node.get(0);
        if (!first.isArray() || first.isEmpty()) {
            throw invalid(index(path, 0), "a non-empty array of numbers (a row)", first);
        }
        int cols = first.size();
        double[] values = new double[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < rows; i++) {
            JsonNode row = node.get(i);
            String rowPath = index(path, i);
            if (!row.isArray()) {
                throw invalid(rowPath, "an array of numbers (a row)", row);
            }
            if (row.size() != cols) {
                throw new SpecException(rowPath, "has " + row.size() + " values, row 0 has " + cols
                        + " (rows must all be the same length)");
            }
            for (int j = 0; j < cols; j++) {
                values[i * cols + j] = finite(row.get(j), index(rowPath, j));
            }
        }
        return new Matrix(rows, cols, values);
    }

    /** The array's elements as a list, or an error naming {@code path}. */
    static List<JsonNode> array(JsonNode node, String path, String requirement) throws SpecException {
        if (node == null || !node.isArray()) {
            throw invalid(path, requirement, node);
        }
        List<JsonNode> items = new ArrayList<>(node.size());
        node.forEach(items::add);
        return items;
    }

    record Matrix(int rows, int cols, double[] values) {
        String shape() {
            return rows + "×" + cols;
        }
    }
}
