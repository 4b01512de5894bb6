package io.trainscope.point;

import io.trainscope.history.MemoryHistory;
import io.trainscope.nn.StepMetrics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one downsampling rule, on a history in memory (the store's is checked against brute force in SummaryTest). */
public class DownsampleTest {

    /** A history whose cost is {@code cost(i)}, and whose norms carry the iteration so copies can be checked. */
    public static MemoryHistory history(int n, java.util.function.LongToDoubleFunction cost) {
        MemoryHistory history = new MemoryHistory(2);
        StepMetrics m = new StepMetrics(2);
        Points batch = new Points(2, 100);
        for (int i = 0; i < n; i++) {
            m.iteration = i;
            m.cost = cost.applyAsDouble(i);
            m.accuracy = 0.5;
            m.weightNorms[0] = i;
            m.weightNorms[1] = -i;
            m.gradientNorms[1] = 2.0 * i;
            batch.add(m);
            if (batch.size() == 100 || i == n - 1) {
                history.append(batch);
                batch.clear();
            }
        }
        return history;
    }

    private static List<Long> iterations(Points points) {
        List<Long> out = new ArrayList<>();
        for (int p = 0; p < points.size(); p++) {
            out.add(points.iteration(p));
        }
        return out;
    }

    @Test
    void aRangeThatFitsIsReturnedWhole() {
        MemoryHistory history = history(10_000, i -> 1.0 / (i + 1));
        Points all = history.downsampled(100, 300, 500);
        assertEquals(200, all.size());
        assertEquals(100, all.iteration(0));
        assertEquals(299, all.lastIteration());
        assertEquals(250.0, all.value(Schema.WEIGHT_NORMS, 0, 150));
        assertEquals(-250.0, all.value(Schema.WEIGHT_NORMS, 1, 150));
        assertEquals(500.0, all.value(Schema.GRADIENT_NORMS, 1, 150));
    }

    @Test
    void bucketsKeepFirstLastMinAndMaxInOrder() {
        // A falling curve with one spike up at 5003 and one dip down at 7777.
        MemoryHistory history = history(10_000, i -> i == 5003 ? 9 : i == 7777 ? -9 : 1.0 / (i + 1));
        Points summary = history.downsampled(0, 10_000, 400);
        assertTrue(history.needsDownsampling(0, 10_000, 400));
        List<Long> kept = iterations(summary);
        assertTrue(summary.size() <= 400, "at most maxPoints, got " + summary.size());
        assertEquals(0L, kept.get(0));
        assertEquals(9999L, kept.get(kept.size() - 1));
        assertTrue(kept.contains(5003L) && kept.contains(7777L), "spikes kept");
        for (int p = 1; p < kept.size(); p++) {
            assertTrue(kept.get(p) > kept.get(p - 1), "strictly increasing at " + p);
        }
        for (int p = 0; p < summary.size(); p++) {
            assertEquals((double) summary.iteration(p), summary.value(Schema.WEIGHT_NORMS, 0, p), "a real point, not a blend");
        }
    }

    @Test
    void aBatchThatFitsIsTheSameBatch() {
        Points batch = history(50, i -> i).read(0, 50);
        assertSame(batch, Downsample.of(batch, 500));
        Points fewer = Downsample.of(history(5000, i -> Math.sin(i)).read(0, 5000), 500);
        assertTrue(fewer.size() <= 500);
        assertEquals(0, fewer.firstIteration());
        assertEquals(4999, fewer.lastIteration());
    }

    @Test
    void readsAreClippedToWhatIsPublished() {
        MemoryHistory history = history(5000, i -> i);
        assertEquals(5000, history.size());
        assertEquals(0, history.read(6000, 7000).size());
        assertEquals(10, history.read(4990, 9000).size());
        assertEquals(0, history.downsampled(5000, 5000, 100).size());
    }

    @Test
    void appendRefusesAGapOrARepeat() {
        MemoryHistory history = history(10, i -> i);
        Points wrong = history(20, i -> i).read(11, 12);
        try {
            history.append(wrong);
            throw new AssertionError("appended iteration 11 after 10 points");
        } catch (IllegalArgumentException expected) {
            assertEquals(10, history.size());
        }
    }
}
