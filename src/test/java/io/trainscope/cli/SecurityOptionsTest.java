package io.trainscope.cli;

import io.trainscope.server.access.Limits;
import io.trainscope.server.access.SecurityConfig;
import io.trainscope.spec.SpecLimits;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The serve options of docs/security.md, read into records with their documented defaults. */
class SecurityOptionsTest {

    private static ServeCommand parse(String... args) {
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ServeCommand serve = parse();
        SecurityConfig config = serve.securityOptions.config(null);
        assertEquals(Limits.DEFAULT, config.limits());
        assertFalse(config.privateMode());
        assertNull(config.tls());
        assertEquals(SpecLimits.DEFAULT, serve.securityOptions.specLimits());
        assertEquals("127.0.0.1", serve.host);
    }

    @Test
    void everyLimitIsAnOption() {
        ServeCommand serve = parse("--private", "--allowed-origin", "https://a.example", "--allowed-origin",
                "http://b.example:8080", "--max-viewers", "7", "--max-frame-bytes", "2048", "--message-rate", "3.5",
                "--message-burst", "9", "--max-body-bytes", "4096", "--max-layer-width", "64", "--max-depth", "5",
                "--max-iterations", "1000", "--max-samples", "500", "--max-parameters", "9999",
                "--max-activations", "12345", "--max-message-bytes", "3000");
        SecurityConfig config = serve.securityOptions.config("t");
        assertTrue(config.privateMode());
        assertEquals(List.of("https://a.example", "http://b.example:8080"), config.allowedOrigins());
        assertEquals(new Limits(2048, 7, 3.5, 9, 4096), config.limits());
        assertEquals(new SpecLimits(64, 5, 1000, 500, 9999, 12345), serve.securityOptions.specLimits());
        assertEquals(3000, serve.securityOptions.maxMessageBytes);
    }

    @Test
    void theConnectionBodyAndHistoryBoundsAreOptions() {
        ServeCommand serve = parse("--allowed-host", "dash.example.org", "--allowed-host", ".lab.example",
                "--max-body-bytes", "4096", "--max-bodies-bytes", "8192", "--body-timeout", "2.5", "--max-connections", "50",
                "--header-timeout", "3", "--idle-timeout", "40", "--history-bytes-per-second", "100000",
                "--total-history-bytes-per-second", "200000", "--stall-timeout", "12.5");
        SecurityConfig config = serve.securityOptions.config(null);
        assertEquals(List.of("dash.example.org", ".lab.example"), config.allowedHosts());
        assertEquals(new Limits(Limits.DEFAULT_MAX_FRAME_BYTES, Limits.DEFAULT_MAX_VIEWERS,
                Limits.DEFAULT_MESSAGES_PER_SECOND, Limits.DEFAULT_MESSAGE_BURST, 4096, 8192, 2500, 50, 3000, 40_000,
                100_000, 200_000, 12_500), config.limits());
        assertTrue(message(parse("--allowed-host", "http://x")).contains("--allowed-host"));
        assertTrue(message(parse("--body-timeout", "0")).contains("seconds"));
        assertTrue(message(parse("--max-bodies-bytes", "10")).contains("--max-bodies-bytes"));
    }

    @Test
    void badValuesAreRefusedNamingTheOption() {
        assertTrue(message(parse("--max-viewers", "0")).contains("--max-viewers"));
        assertTrue(message(parse("--message-rate", "-1")).contains("--message-rate"));
        assertTrue(message(parse("--allowed-origin", "evil.example/path")).contains("--allowed-origin"));
        assertTrue(message(parse("--tls-cert", "/no/such.pem")).contains("--tls-key"));
        assertTrue(message(parse("--tls-cert", "/no/such.pem", "--tls-key", "/no/key.pem")).contains("/no/such.pem"));
    }

    @Test
    void loopbackIsRecognised() {
        assertTrue(SecurityOptions.loopback("127.0.0.1"));
        assertTrue(SecurityOptions.loopback("127.3.4.5"));
        assertTrue(SecurityOptions.loopback("::1"));
        assertTrue(SecurityOptions.loopback("localhost"));
        assertFalse(SecurityOptions.loopback("0.0.0.0"));
        assertFalse(SecurityOptions.loopback("10.1.2.3"));
        assertFalse(SecurityOptions.loopback("no-such-host.invalid"));
    }

    private static String message(ServeCommand serve) {
        return assertThrows(IllegalArgumentException.class, () -> serve.securityOptions.config("t")).getMessage();
    }
}
