package io.trainscope.cli;

import io.trainscope.Main;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code worker}'s bad options end it with exit code 2 before it joins any cluster; it has no HTTP options. */
class WorkerCommandTest {

    @Test
    void badOptionsAreRefusedBeforeJoining() {
        assertEquals(2, Main.run("worker", "--max-running", "0"));
        assertEquals(2, Main.run("worker", "--max-queued", "-1"));
        assertEquals(2, Main.run("worker", "--push-rate", "0"));
        assertEquals(2, Main.run("worker", "--cluster-name", "two words"));
        assertEquals(2, Main.run("worker", "--cluster-members", "a,,b"));
        assertEquals(2, Main.run("worker", "--cluster-port", "70000"));
        assertEquals(2, Main.run("worker", "--port", "8080"), "a worker serves no HTTP");
        assertEquals(2, Main.run("worker", "--token", "t"), "nor takes a token: access is checked on the dashboards");
    }
}
