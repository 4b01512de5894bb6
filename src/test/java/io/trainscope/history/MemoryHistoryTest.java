package io.trainscope.history;

import io.trainscope.point.DownsampleTest;
import io.trainscope.point.Points;
import io.trainscope.point.Schema;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class MemoryHistoryTest {

    /** Readers on another thread only ever see complete points below the published count. */
    @Test
    void aReaderSeesEveryPublishedPointComplete() throws Exception {
        MemoryHistory history = new MemoryHistory(2);
        AtomicReference<String> problem = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (history.size() < 200_000 && problem.get() == null) {
                long size = history.size();
                if (size == 0) {
                    continue;
                }
                Points last = history.read(size - 1, size);
                if (last.value(Schema.WEIGHT_NORMS, 0, 0) != size - 1 || last.cost(0) != (size - 1) * 0.5) {
                    problem.set("point " + (size - 1) + " read incomplete");
                }
            }
        });
        reader.start();
        MemoryHistory source = DownsampleTest.history(200_000, i -> i * 0.5);
        assertEquals(0.5 * 199_999, source.lastCost(), "the last cost is kept");
        for (long from = 0; from < 200_000; from += 37) {
            history.append(source.read(from, from + 37));
        }
        reader.join();
        assertNull(problem.get());
        assertEquals(200_000, history.size());
        assertEquals(4096 * 3 + 5, history.read(4096 * 3 + 5, 4096 * 3 + 6).iteration(0));
    }
}
