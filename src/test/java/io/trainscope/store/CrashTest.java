package io.trainscope.store;

import io.trainscope.run.RunStatus;
import io.trainscope.nn.StepMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real process writes a run and is killed with SIGKILL mid-stream; the store reopened on the same directory
 * must hold every point the process had reported durable, in order and bit for bit, and read interrupted.
 */
class CrashTest {

    @TempDir
    Path data;

    @Test
    void everyPointReportedDurableBeforeAKillSurvivesIt() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), data.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long served = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String line;
            while (served < 300_000 && System.nanoTime() < deadline && (line = out.readLine()) != null) {
                if (line.startsWith("durable ")) {
                    served = Long.parseLong(line.substring(8));
                }
            }
            // Killed right after reading a report, while the writer is still appending at full speed.
            writer.destroyForcibly();
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        } finally {
            writer.destroyForcibly();
        }
        assertTrue(served >= 0, "the writer never reported a durable point");

        try (RunStore store = RunStore.open(data)) {
            RunInfo info = store.info(CrashWriter.RUN).orElseThrow();
            assertEquals(RunStatus.INTERRUPTED, info.status());
            RunLog log = store.log(CrashWriter.RUN);
            assertTrue(log.durableIteration() >= served, "served up to " + served + ", kept " + log.durableIteration());
            assertEquals(log.points(), info.iterations());
            StepMetrics expected = new StepMetrics(CrashWriter.DEPTH);
            long[] next = {0};
            log.forEach(0, Long.MAX_VALUE, (block, from, to) -> {
                for (int i = from; i < to; i++) {
                    CrashWriter.point(next[0], expected);
                    assertEquals(Point.of(expected), Point.of(block, i), "point " + next[0]);
                    next[0]++;
                }
            });
            assertEquals(log.durableIteration() + 1, next[0], "no gap, no garbage");
        }
    }
}
