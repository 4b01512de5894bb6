package io.trainscope.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainscope.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The train command as a real process, stopped the way a user or a job scheduler stops it. */
class TrainProcessTest {

    @TempDir
    Path dir;

    @Test
    void aTerminatedRunLeavesAWholeMetricsFile() throws IOException, InterruptedException {
        Path spec = Files.writeString(dir.resolve("spec.json"), """
                {"layers": [2, 8, 1], "learningRate": 0.1, "iterations": 100000000, "dataset": {"name": "xor"}}""");
        Path metrics = dir.resolve("m.jsonl");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", spec.toString(), "--metrics-out", metrics.toString())
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            // Until the first buffer of points has reached the file, however slow the machine.
            while (process.isAlive() && (!Files.exists(metrics) || Files.size(metrics) == 0)) {
                Thread.sleep(50);
            }
            process.destroy();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "stopped");
        } finally {
            process.destroyForcibly();
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(128 + 15, process.exitValue(), stderr);
        assertTrue(stderr.contains("train: interrupted after "), stderr);

        String text = Files.readString(metrics);
        assertTrue(text.endsWith("\n"), "no line cut off");
        List<String> lines = text.lines().toList();
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(i, json.readTree(lines.get(i)).get("iteration").intValue());
        }
        int reported = Integer.parseInt(stderr.replaceAll("(?s).*interrupted after (\\d+) iterations.*", "$1"));
        assertEquals(reported, lines.size(), "every iteration run is in the file");
    }
}
