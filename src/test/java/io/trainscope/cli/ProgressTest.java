package io.trainscope.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {

    @Test
    void lineShowsIterationBarCostSpeedAndEta() {
        assertEquals("12,345/40,000 [######--------------]  30%  cost 0.123457  1.23M it/s  ETA 0:00",
                Progress.line(12_345, 40_000, 0.1234567, 1_234_567));
        assertEquals("5/10 [##########----------]  50%  cost NaN  0 it/s  ETA ?", Progress.line(5, 10, Double.NaN, 0));
    }

    @Test
    void formatsRatesAndDurations() {
        assertEquals("950", Progress.rate(950));
        assertEquals("12.3k", Progress.rate(12_345));
        assertEquals("0:07", Progress.duration(7.2));
        assertEquals("12:34", Progress.duration(754));
        assertEquals("2:03:04", Progress.duration(7384));
    }

    @Test
    void aTerminalLineIsRedrawnInPlaceAndClearedAtTheEnd() throws InterruptedException {
        StringWriter text = new StringWriter();
        Progress progress = new Progress(new PrintWriter(text), 1_000_000, true);
        long deadline = System.nanoTime() + 3 * Progress.TERMINAL_INTERVAL_NANOS;
        long done = 0;
        while (System.nanoTime() < deadline) {
            progress.update(++done, 0.5);
            Thread.sleep(1);
        }
        progress.finish();
        String out = text.toString();
        assertTrue(out.startsWith("\r") && out.contains("cost 0.500000"), out);
        assertTrue(out.endsWith("\r") && !out.contains("\n"), "redrawn with \\r, never a new line: " + out);
    }
}
