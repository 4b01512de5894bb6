package io.trainscope.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The few {@code /metrics} figures the load tool reports, read from Prometheus text. */
class ScrapeTest {

    static final String TEXT = """
            # HELP trainscope_jvm_memory_used_bytes The amount of used memory
            # TYPE trainscope_jvm_memory_used_bytes gauge
            trainscope_jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.6777216E7
            trainscope_jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 6792704.0
            trainscope_jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 1.9128968E7
            trainscope_jvm_memory_max_bytes{area="heap",id="G1 Eden Space"} -1.0
            trainscope_jvm_memory_max_bytes{area="heap",id="G1 Old Gen"} 6.3E9
            trainscope_jvm_threads_live_threads 32.0
            trainscope_messages_dropped_total 7.0 1796124852934
            """;

    @Test
    void sumsTheSeriesWhoseLabelsMatch() {
        Scrape scrape = Scrape.parse(TEXT, 5);
        assertEquals(1.6777216E7 + 6792704.0, scrape.sum("trainscope_jvm_memory_used_bytes", "area=\"heap\""));
        assertEquals(6.3E9, scrape.sum("trainscope_jvm_memory_max_bytes", "area=\"heap\""), "-1 is undefined, not less");
        assertEquals(32, scrape.value("trainscope_jvm_threads_live_threads"));
        assertEquals(7, scrape.value("trainscope_messages_dropped_total"), "a timestamp after the value is not the value");
        assertEquals(5, scrape.atMs());
    }

    @Test
    void aMissingSeriesIsNaN() {
        assertTrue(Double.isNaN(Scrape.parse(TEXT, 0).value("trainscope_viewers")));
        assertTrue(Double.isNaN(Scrape.NONE.value("trainscope_jvm_threads_live_threads")));
    }
}
