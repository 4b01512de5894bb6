package io.trainscope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainscope.cli.CliRun;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every golden trajectory of the seed's numpy code (../shared/golden/*.json, present and future) through the
 * CLI, the same path a user takes: each iteration's cost, ‖W‖ and ‖dW‖ and the final parameters must match
 * within the file's tolerance, |v − e| ≤ relative × max(|e|, absolute / relative).
 *
 * <p>The folder is {@code -Dtrainscope.golden=DIR} if given, else {@code ../shared/golden} beside the
 * project, else the copy in {@code src/test/resources/golden}.
 */
class GoldenTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> everyGoldenFileMatches() throws IOException, URISyntaxException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(goldenFolder())) {
            files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no golden files in " + goldenFolder());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    static Path goldenFolder() throws URISyntaxException {
        String property = System.getProperty("trainscope.golden");
        if (property != null) {
            return Path.of(property);
        }
        Path shared = Path.of("..", "shared", "golden");
        if (Files.isDirectory(shared)) {
            return shared;
        }
        return Path.of(GoldenTest.class.getResource("/golden").toURI());
    }

    private void check(Path file) throws IOException {
        JsonNode golden = JSON.readTree(file.toFile());
        Path spec = temp.resolve(file.getFileName());
        Path metrics = temp.resolve("metrics.jsonl");
        Path params = temp.resolve("params.json");
        JSON.writeValue(spec.toFile(), golden.get("spec"));

        CliRun run = CliRun.of("train", spec.toString(), "--metrics-out", metrics.toString(),
                "--params-out", params.toString());
        assertEquals(0, run.exitCode(), run.toString());

        Tolerance tolerance = new Tolerance(golden.get("tolerance").get("relative").doubleValue(),
                golden.get("tolerance").get("absolute").doubleValue());
        JsonNode expected = golden.get("expected");
        List<String> lines = Files.readAllLines(metrics);
        assertEquals(expected.get("cost").size(), lines.size(), "one metrics line per iteration");
        for (int i = 0; i < lines.size(); i++) {
            JsonNode point = JSON.readTree(lines.get(i));
            assertEquals(i, point.get("iteration").intValue());
            tolerance.check("cost at iteration " + i, expected.get("cost").get(i), point.get("cost"));
            tolerance.check("weightNorms at iteration " + i, expected.get("weightNorms").get(i), point.get("weightNorms"));
            tolerance.check("gradientNorms at iteration " + i, expected.get("gradientNorms").get(i), point.get("gradientNorms"));
        }
        JsonNode finalParameters = JSON.readTree(params.toFile());
        JsonNode expectedParameters = expected.get("finalParameters");
        assertEquals(expectedParameters.size(), finalParameters.size(), "parameter tensors");
        for (var names = expectedParameters.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            tolerance.check("final " + name, expectedParameters.get(name), finalParameters.get(name));
        }
    }

    /** Compares numbers, or arrays of them to any depth, element by element. */
    private record Tolerance(double relative, double absolute) {
        void check(String what, JsonNode expected, JsonNode actual) {
            if (actual == null) {
                fail(what + ": missing");
            }
            if (expected.isArray()) {
                assertEquals(expected.size(), actual.size(), what + ": length");
                for (int i = 0; i < expected.size(); i++) {
                    check(what + "[" + i + "]", expected.get(i), actual.get(i));
                }
                return;
            }
            if (!actual.isNumber()) {
                fail(what + ": expected " + expected + ", got " + actual);
            }
            double e = expected.doubleValue();
            double v = actual.doubleValue();
            double allowed = relative * Math.max(Math.abs(e), absolute / relative);
            if (!(Math.abs(v - e) <= allowed)) {
                fail(what + ": expected " + e + ", got " + v + " (difference " + Math.abs(v - e)
                        + ", allowed " + allowed + ")");
            }
        }
    }
}
