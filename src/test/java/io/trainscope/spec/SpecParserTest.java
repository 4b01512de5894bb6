package io.trainscope.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.nn.Init;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SpecParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALID = """
            {"layers": [2, 4, 1], "learningRate": 0.1, "iterations": 100, "dataset": {"name": "xor"}}""";

    /** The valid spec with one field replaced (or removed, when {@code value} is null). */
    static String with(String field, String value) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(VALID);
            if (value == null) {
                root.remove(field);
            } else {
                root.set(field, JSON.readTree(value));
            }
            return root.toString();
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static RunSpec parse(String json) throws SpecException {
        return SpecParser.parse(json, SpecLimits.DEFAULT, Path.of("/specs"));
    }

    @Test
    void readsAValidSpecWithDefaults() throws SpecException {
        RunSpec spec = parse(VALID);
        assertArrayEquals(new int[] {2, 4, 1}, spec.layers());
        assertEquals(0.1, spec.learningRate());
        assertEquals(100, spec.iterations());
        assertEquals(Init.HE, spec.init());
        assertEquals(RunSpec.DEFAULT_SEED, spec.seed());
        assertEquals(0, spec.validationSplit());
        assertNull(spec.initialParameters());
        assertNull(spec.name());
        DataSpec.BuiltIn data = assertInstanceOf(DataSpec.BuiltIn.class, spec.data());
        assertEquals("xor", data.name());
        assertEquals(200, data.samples());
        assertEquals(0.1, data.noise());
        assertEquals(RunSpec.DEFAULT_SEED, data.seed(), "the dataset's seed defaults to the run's");
        assertEquals(2, data.features());
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                // field, JSON of the whole spec, fragment the message must hold
                arguments("spec", "[1, 2]", "must be an object"),
                arguments("spec", "{\"layers\": [2, 1],", "not valid JSON at line 1"),
                arguments("spec", "", "empty"),
                arguments("learning_rate", with("learning_rate", "0.1"), "did you mean \"learningRate\""),
                arguments("Layers", with("Layers", "[2,1]"), "did you mean \"layers\""),
                arguments("colour", with("colour", "1"), "unknown field (known: name, layers"),
                arguments("name", with("name", "3"), "must be a string, got 3"),
                arguments("name", with("name", "\"" + "n".repeat(201) + "\""), "at most 200 characters"),
                arguments("layers", with("layers", null), "missing"),
                arguments("layers", with("layers", "\"2,4,1\""), "must be an array"),
                arguments("layers", with("layers", "[2]"), "at least [n_x, 1]"),
                arguments("layers[1]", with("layers", "[2, -3, 1]"), "must be an integer >= 1, got -3"),
                arguments("layers[1]", with("layers", "[2, 4.5, 1]"), "must be an integer >= 1, got 4.5"),
                arguments("layers[1]", with("layers", "[2, \"4\", 1]"), "got \"4\""),
                arguments("layers[1]", with("layers", "[2, 100000, 1]"), "at most 8192"),
                arguments("layers[2]", with("layers", "[2, 4, 2]"), "must be 1 (the sigmoid output unit), got 2"),
                arguments("layers", with("layers", "[2" + ", 1".repeat(70) + "]"), "more than the limit of 64"),
                arguments("layers", with("layers", "[2, 8000, 8000, 1]"), "more than the limit of 10000000"),
                arguments("layers[0]", with("layers", "[3, 4, 1]"), "dataset's 2 features"),
                arguments("learningRate", with("learningRate", "\"fast\""), "must be a finite number > 0, got \"fast\""),
                arguments("learningRate", with("learningRate", "0"), "> 0, got 0"),
                arguments("learningRate", with("learningRate", "-0.1"), "> 0, got -0.1"),
                arguments("learningRate", with("learningRate", "1e400"), "finite"),
                arguments("learningRate", with("learningRate", null), "missing"),
                arguments("iterations", with("iterations", "0"), "must be an integer >= 1, got 0"),
                arguments("iterations", with("iterations", "1.5"), "integer"),
                arguments("iterations", with("iterations", "100000001"), "at most 100000000"),
                arguments("iterations", with("iterations", null), "missing"),
                arguments("iterations", with("iterations", "100000000000000000000"), "at most 100000000, got 1000000"),
                arguments("iterations", with("iterations", "-100000000000000000000"), "integer >= 1"),
                arguments("init", with("init", "\"glorot\""), "one of \"he\", \"xavier\", \"seed\", got \"glorot\""),
                arguments("init", with("init", "1"), "one of"),
                arguments("seed", with("seed", "\"abc\""), "integer"),
                arguments("seed", with("seed", "1.5"), "integer"),
                arguments("seed", with("seed", "1e30"), "at most 9223372036854775807"),
                arguments("dataset", with("dataset", null), "missing; give either \"dataset\""),
                arguments("dataset", with("dataset", "\"xor\""), "must be an object"),
                arguments("dataset.name", with("dataset", "{}"), "missing"),
                arguments("dataset.name", with("dataset", "{\"name\": \"moons\"}"), "one of \"xor\", \"circle\", \"spiral\", \"gaussian\""),
                arguments("dataset.samples", with("dataset", "{\"name\": \"xor\", \"samples\": 0}"), "integer >= 1"),
                arguments("dataset.samples", with("dataset", "{\"name\": \"xor\", \"samples\": 2000000}"), "at most 1000000"),
                arguments("dataset.noise", with("dataset", "{\"name\": \"xor\", \"noise\": -1}"), "from 0 to 100"),
                arguments("dataset.noise", with("dataset", "{\"name\": \"xor\", \"noise\": \"lots\"}"), "finite number"),
                arguments("dataset.seed", with("dataset", "{\"name\": \"xor\", \"seed\": true}"), "integer"),
                arguments("dataset.features", with("dataset", "{\"name\": \"xor\", \"features\": 3}"), "only gaussian takes features"),
                arguments("dataset.features", with("dataset", "{\"name\": \"gaussian\", \"features\": 0}"), "integer >= 1"),
                arguments("dataset.smaples", with("dataset", "{\"name\": \"xor\", \"smaples\": 3}"), "did you mean \"samples\""),
                arguments("dataset.samples", "{\"layers\": [2, 4000, 1], \"learningRate\": 0.1, \"iterations\": 1,"
                        + " \"dataset\": {\"name\": \"xor\", \"samples\": 10000}}", "activation values"),
                arguments("data", with("data", "{\"csv\": \"a.csv\"}"), "not both"),
                arguments("data", with("dataset", null).replace("}", ", \"data\": {\"csv\": \"a.csv\", \"X\": [[1]]}}"), "either \"csv\""),
                arguments("data.csv", with("dataset", null).replace("}", ", \"data\": {\"csv\": 3}}"), "must be a string"),
                arguments("data.csv", with("dataset", null).replace("}", ", \"data\": {\"csv\": \" \"}}"), "a file path"),
                arguments("data.x", inline("[[1, 2], [3, 4]]", "[[0, 1]]").replace("\"X\"", "\"x\""), "did you mean \"X\""),
                arguments("data.Y", inline("[[1, 2], [3, 4]]", null), "missing"),
                arguments("data.X", inline("[[1, 2]]", "[[0, 1]]"), "has 1 rows (features), layers[0] is 2"),
                arguments("data.X", inline("[]", "[[0, 1]]"), "non-empty array"),
                arguments("data.X[1]", inline("[[1, 2], [3]]", "[[0, 1]]"), "has 1 values, row 0 has 2"),
                arguments("data.X[1][0]", inline("[[1, 2], [\"a\", 4]]", "[[0, 1]]"), "finite number, got \"a\""),
                arguments("data.X[0][1]", inline("[[1, null], [3, 4]]", "[[0, 1]]"), "got null"),
                arguments("data.Y", inline("[[1, 2], [3, 4]]", "[0, 1]"), "one row"),
                arguments("data.Y", inline("[[1, 2], [3, 4]]", "[[0, 1, 1]]"), "expected 1×2 (one label per column of X), got 1×3"),
                arguments("data.Y[0][1]", inline("[[1, 2], [3, 4]]", "[[0, 0.5]]"), "must be 0 or 1, got 0.5"),
                arguments("initialParameters", with("initialParameters", "[]"), "must be an object"),
                arguments("initialParameters.W3", with("initialParameters", "{\"W3\": [[1]]}"), "unknown; a network of 2 weight layers"),
                arguments("initialParameters.W1", with("initialParameters", "{}"), "missing; expected 4×2"),
                arguments("initialParameters.W1", params("[[1, 2], [1, 2], [1, 2]]", "[[0], [0], [0], [0]]"),
                        "expected 4×2 (layers[1] × layers[0]), got 3 rows"),
                arguments("initialParameters.W1", params("[[1], [1], [1], [1]]", "[[0], [0], [0], [0]]"),
                        "expected 4×2 (layers[1] × layers[0]), got 4×1"),
                arguments("initialParameters.b1", params("[[1, 2], [1, 2], [1, 2], [1, 2]]", "[[0, 0], [0, 0], [0, 0], [0, 0]]"),
                        "expected 4×1 (layers[1] × 1), got 4×2"),
                arguments("initialParameters.W1[2][1]", params("[[1, 2], [1, 2], [1, \"x\"], [1, 2]]", "[[0], [0], [0], [0]]"),
                        "finite number"),
                arguments("validationSplit", with("validationSplit", "1"), "a number in [0, 1), got 1"),
                arguments("validationSplit", with("validationSplit", "-0.1"), "[0, 1)"),
                arguments("validationSplit", with("validationSplit", "\"10%\""), "[0, 1)"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("invalidSpecs")
    void refusesInvalidFieldsNamingThem(String field, String json, String fragment) {
        SpecException e = assertThrows(SpecException.class, () -> parse(json));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected \"" + fragment + "\" in: " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    }

    @Test
    void limitsAreThoseGiven() {
        SpecLimits tight = new SpecLimits(8, 3, 50, 10, 1000, 100_000);
        SpecException e = assertThrows(SpecException.class, () -> SpecParser.parse(VALID, tight, null));
        assertEquals("iterations: must be at most 50, got 100", e.getMessage());
    }

    @Test
    void readsEveryOptionalField() throws Exception {
        String json = """
                {"name": "my run", "layers": [2, 1], "learningRate": 0.5, "iterations": 1e3, "init": "xavier",
                 "seed": -7, "validationSplit": 0.25,
                 "data": {"X": [[1, 2, 3], [4, 5, 6]], "Y": [[0, 1, 1]]},
                 "initialParameters": {"W1": [[0.5, -0.5]], "b1": [[0.25]]}}""";
        RunSpec spec = parse(json);
        assertEquals("my run", spec.name());
        assertEquals(1000, spec.iterations());
        assertEquals(Init.XAVIER, spec.init());
        assertEquals(-7, spec.seed());
        assertEquals(0.25, spec.validationSplit());
        DataSpec.Inline data = assertInstanceOf(DataSpec.Inline.class, spec.data());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, data.dataset().x());
        assertArrayEquals(new double[] {0, 1, 1}, data.dataset().y());
        assertArrayEquals(new double[] {0.5, -0.5}, spec.initialParameters().weights().get(0));
        assertArrayEquals(new double[] {0.25}, spec.initialParameters().biases().get(0));
    }

    @Test
    void gaussianFeaturesDefaultToTheInputSize() throws SpecException {
        RunSpec spec = parse(with("layers", "[30, 8, 1]").replace("\"xor\"", "\"gaussian\""));
        assertEquals(30, ((DataSpec.BuiltIn) spec.data()).features());
    }

    @Test
    void csvPathsResolveAgainstTheBaseDirectory() throws SpecException {
        String json = with("dataset", null).replace("}", ", \"data\": {\"csv\": \"data/points.csv\"}}");
        DataSpec.Csv csv = assertInstanceOf(DataSpec.Csv.class, parse(json).data());
        assertEquals(Path.of("/specs/data/points.csv"), csv.path());
    }

    @Test
    void withoutABaseDirectoryNoFileIsRead() {
        String json = with("dataset", null).replace("}", ", \"data\": {\"csv\": \"/etc/passwd\"}}");
        SpecException e = assertThrows(SpecException.class, () -> SpecParser.parse(json, SpecLimits.DEFAULT, null));
        assertEquals("data.csv", e.field());
        assertTrue(e.getMessage().contains("files cannot be read here"), e.getMessage());
    }

    @Test
    void refusesDuplicateKeys() {
        SpecException e = assertThrows(SpecException.class,
                () -> parse("{\"layers\": [2, 1], \"layers\": [2, 1]}"));
        assertTrue(e.getMessage().contains("Duplicate field 'layers'"), e.getMessage());
    }

    @Test
    void writesBackToAnEqualSpec() throws SpecException {
        for (String json : new String[] {VALID, with("name", "\"n\"").replace("\"name\":\"xor\"", "\"name\":\"gaussian\""),
                params("[[1, 2], [1, 2], [1, 2], [1, 2]]", "[[0], [0], [0], [0]]"),
                inline("[[1, 2], [3, 4]]", "[[0, 1]]")}) {
            RunSpec spec = parse(json);
            String written = SpecJson.write(spec);
            assertEquals(written, SpecJson.write(parse(written)), "written form of " + json);
        }
        JsonNode full = SpecJson.toJson(parse(VALID));
        assertEquals("he", full.get("init").textValue(), "defaults are written out");
        assertEquals(200, full.get("dataset").get("samples").intValue());
    }

    private static String inline(String x, String y) {
        return with("dataset", null).replace("}", ", \"data\": {\"X\": " + x + (y == null ? "" : ", \"Y\": " + y) + "}}");
    }

    private static String params(String w1, String b1) {
        return with("initialParameters", "{\"W1\": " + w1 + ", \"b1\": " + b1 + ", \"W2\": [[1, 1, 1, 1]], \"b2\": [[0]]}");
    }
}
