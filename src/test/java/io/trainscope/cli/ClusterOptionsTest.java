package io.trainscope.cli;

import io.trainscope.Main;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad {@code --cluster*} values end {@code serve} and {@code train} with exit 2 and a line naming the option. */
class ClusterOptionsTest {

    private static String refused(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, Main.run(args), String.join(" ", args));
        } finally {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badValuesNameTheirOption() {
        assertTrue(refused("serve", "--cluster", "--cluster-port", "70000").contains("--cluster-port must be 1..65535"));
        assertTrue(refused("serve", "--cluster", "--cluster-members", "a:1,,b").contains("--cluster-members"));
        assertTrue(refused("serve", "--cluster", "--cluster-members", "h:x").contains("no port number"));
        assertTrue(refused("serve", "--cluster", "--cluster-name", "a b").contains("--cluster-name"));
        assertTrue(refused("serve", "--cluster", "--cluster-config", "/nonexistent.xml").contains("--cluster-config"));
        assertTrue(refused("serve", "--cluster", "--cluster-cert", "/nonexistent.pem").contains("--cluster-cert"));
        assertTrue(refused("serve", "--trainer").contains("--trainer needs --cluster"));
    }
}
