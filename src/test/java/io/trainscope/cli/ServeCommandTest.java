package io.trainscope.cli;

import io.trainscope.Main;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bad {@code serve} options end the command with exit code 2 and a message, before anything listens. */
class ServeCommandTest {

    @Test
    void badOptionsAreRefusedBeforeListening() {
        assertEquals(2, Main.run("serve", "--port", "70000"));
        assertEquals(2, Main.run("--max-running", "0"));
        assertEquals(2, Main.run("serve", "--push-rate", "0"));
        assertEquals(2, Main.run("serve", "--port", "eighty"));
        assertEquals(2, Main.run("serve", "--token", " "), "a blank token");
        assertEquals(2, Main.run("serve", "--token", "two words"));
        assertEquals(2, Main.run("serve", "--allowed-host", "http://evil.example"));
    }
}
