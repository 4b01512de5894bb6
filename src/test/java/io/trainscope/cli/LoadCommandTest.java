package io.trainscope.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code load}'s command line: what it refuses before opening a single socket. */
class LoadCommandTest {

    @Test
    void aServerBeyondLoopbackIsRefused() {
        CliRun run = CliRun.of("load", "--viewers", "10", "http://10.1.2.3:8080/");
        assertEquals(LoadCommand.INVALID, run.exitCode(), run::toString);
        assertTrue(run.err().contains("10.1.2.3 is not a loopback address"), run::toString);
    }

    @Test
    void boundsAreNamedByTheirOption() {
        CliRun slow = CliRun.of("load", "--viewers", "2", "--slow", "3", "http://127.0.0.1:1/");
        assertEquals(LoadCommand.INVALID, slow.exitCode(), slow::toString);
        assertTrue(slow.err().contains("--slow"), slow::toString);
        CliRun duration = CliRun.of("load", "--viewers", "2", "--duration", "100000", "http://127.0.0.1:1/");
        assertTrue(duration.err().contains("--duration must be 1 to 600"), duration::toString);
    }

    @Test
    void noServerIsOneLineAndExitOne() {
        // Port 1 on loopback: nothing listens there.
        CliRun run = CliRun.of("load", "--viewers", "1", "http://127.0.0.1:1/");
        assertEquals(LoadCommand.FAILED, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("load: no answer from http://127.0.0.1:1/health"), run::toString);
    }
}
