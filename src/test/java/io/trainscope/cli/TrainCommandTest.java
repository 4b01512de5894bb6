package io.trainscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CIRCLE = """
            {"layers": [2, 6, 1], "learningRate": 0.5, "iterations": 300, "validationSplit": 0.2,
             "dataset": {"name": "circle", "samples": 100}}""";

    @TempDir
    Path dir;

    private String spec(String json) throws IOException {
        return Files.writeString(dir.resolve("spec.json"), json).toString();
    }

    private static void assertOneLineError(CliRun run, int code, String fragment) {
        assertEquals(code, run.exitCode(), run.toString());
        assertEquals(1, run.err().lines().count(), "one line: " + run.err());
        assertTrue(run.err().contains(fragment), "expected \"" + fragment + "\" in " + run.err());
        assertFalse(run.err().contains("Exception"), "no stack trace: " + run.err());
    }

    @Test
    void trainsAndWritesMetricsAndParameters() throws IOException {
        Path metrics = dir.resolve("m.jsonl");
        Path params = dir.resolve("p.json");
        CliRun run = CliRun.of("train", spec(CIRCLE), "--metrics-out", metrics.toString(), "--params-out", params.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().matches("finished 300 iterations in [0-9.]+ s \\([0-9.kM]+ it/s\\): cost [0-9.e-]+, "
                + "accuracy [01]\\.[0-9]{4}, validation cost [0-9.e-]+, accuracy [01]\\.[0-9]{4}\\R"), run.out());

        List<String> lines = Files.readAllLines(metrics);
        assertEquals(300, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode point = JSON.readTree(lines.get(i));
            assertEquals(i, point.get("iteration").intValue());
            assertTrue(point.get("cost").isNumber() && point.get("accuracy").isNumber());
            assertEquals(2, point.get("weightNorms").size());
            assertEquals(2, point.get("gradientNorms").size());
            assertTrue(point.has("validationCost") && point.has("validationAccuracy"));
            assertEquals(0.5, point.get("learningRate").doubleValue(), "the rate of the iteration's update");
        }

        JsonNode p = JSON.readTree(params.toFile());
        assertEquals(List.of("W1", "b1", "W2", "b2"), iterable(p));
        assertEquals(6, p.get("W1").size());
        assertEquals(2, p.get("W1").get(0).size());
        assertEquals(1, p.get("b2").get(0).size());
        // The parameters file is a valid initialParameters: training on from it is the same spec format.
        assertEquals(0, CliRun.of("train", spec(CIRCLE.replace("\"layers\"", "\"initialParameters\": " + p + ", \"layers\""))).exitCode());
    }

    private static List<String> iterable(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void anInvalidFieldExitsTwoNamingIt() throws IOException {
        CliRun run = CliRun.of("train", spec(CIRCLE.replace("\"learningRate\": 0.5", "\"learningRate\": \"fast\"")));
        assertOneLineError(run, 2, "spec.json: learningRate: must be a finite number > 0, got \"fast\"");
    }

    @Test
    void aMissingSpecFileExitsTwo() {
        assertOneLineError(CliRun.of("train", dir.resolve("absent.json").toString()), 2, "absent.json: no such file");
    }

    @Test
    void malformedJsonExitsTwo() throws IOException {
        assertOneLineError(CliRun.of("train", spec("{\"layers\": [2, 1]")), 2, "spec.json: spec: not valid JSON");
    }

    @Test
    void aBadCsvFileExitsTwoWithLineAndColumn() throws IOException {
        Files.writeString(dir.resolve("points.csv"), "x,y,label\n1,2,0\n3,4,7\n");
        CliRun run = CliRun.of("train", spec("""
                {"layers": [2, 1], "learningRate": 0.1, "iterations": 5, "data": {"csv": "points.csv"}}"""));
        assertOneLineError(run, 2, "points.csv:3:5: the label (last column) must be 0 or 1, got 7");
    }

    @Test
    void aBadCommandLineExitsTwo() {
        CliRun run = CliRun.of("train");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("Missing required parameter: 'SPEC.json'"), run.err());
        assertEquals(2, CliRun.of("train", "a.json", "--frobnicate").exitCode());
    }

    @Test
    void anUnwritableMetricsFileExitsThreeBeforeTraining() throws IOException {
        Path metrics = dir.resolve("no/such/dir/m.jsonl");
        CliRun run = CliRun.of("train", spec(CIRCLE), "--metrics-out", metrics.toString());
        assertOneLineError(run, 3, metrics + ": cannot write");
        assertEquals("", run.out(), "no summary: the run never started");
    }

    @Test
    void anUnwritableParametersFileExitsThree() throws IOException {
        assertOneLineError(CliRun.of("train", spec(CIRCLE), "--params-out", dir.toString()), 3, "it is a directory");
        Path params = dir.resolve("no/such/dir/p.json");
        assertOneLineError(CliRun.of("train", spec(CIRCLE), "--params-out", params.toString()), 3, params + ": cannot write");
    }

    @Test
    void aDivergingRunExitsOneNamingTheIterationAndKeepsItsMetrics() throws IOException {
        Path metrics = dir.resolve("m.jsonl");
        Path params = dir.resolve("p.json");
        CliRun run = CliRun.of("train", spec("""
                {"layers": [2, 16, 16, 1], "learningRate": 1e6, "iterations": 1000, "dataset": {"name": "xor"}}"""),
                "--metrics-out", metrics.toString(), "--params-out", params.toString());
        assertOneLineError(run, 1, "train: run failed: ");
        assertTrue(run.err().matches("train: run failed: .* became (NaN|Infinity|-Infinity) at iteration \\d+ .*\\R"), run.err());
        int failed = Integer.parseInt(run.err().replaceAll("(?s).*at iteration (\\d+).*", "$1"));
        List<String> lines = Files.readAllLines(metrics);
        assertEquals(failed + 1, lines.size(), "every point up to and including the failing one");
        assertTrue(lines.get(failed).contains("null"), "the non-finite value is null: " + lines.get(failed));
        for (String line : lines) {
            JSON.readTree(line);
        }
        assertFalse(Files.exists(params), "no parameters from a failed run");
    }

    @Test
    void theSeedsSaturatingXorRunStaysFinite() throws IOException {
        // The seed's cost becomes NaN on an easy XOR at learning rate 0.1 after a few thousand iterations,
        // once σ(z) rounds to 1; computing the cost from z keeps every point finite.
        Path metrics = dir.resolve("m.jsonl");
        CliRun run = CliRun.of("train", spec("""
                {"layers": [2, 8, 1], "learningRate": 0.1, "iterations": 5000, "seed": 3,
                 "data": {"X": [[0, 0, 1, 1], [0, 1, 0, 1]], "Y": [[0, 1, 1, 0]]}}"""),
                "--metrics-out", metrics.toString());
        assertEquals(0, run.exitCode(), run.toString());
        List<String> lines = Files.readAllLines(metrics);
        assertEquals(5000, lines.size());
        assertTrue(lines.stream().noneMatch(l -> l.contains("null")), "no non-finite value");
        assertTrue(run.out().contains("accuracy 1.0000"), run.out());
    }

    @Test
    void helpListsTheExitCodes() {
        CliRun run = CliRun.of("train", "--help");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().matches("(?s).*Exit codes:.*\\s3\\s+an output file could not be written.*"), run.out());
    }
}
