package io.trainscope.load;

import java.util.ArrayList;
import java.util.List;

/**
 * One read of the server's {@code /metrics} (Prometheus text format): the samples the load tool reports, such as
 * {@code trainscope_jvm_memory_used_bytes{area="heap",id="G1 Eden Space"}}, summed over the series it names.
 *
 * @param samples every sample line, as read
 * @param atMs    when the answer arrived (epoch ms): CPU time is turned into cores over the span of two reads
 */
record Scrape(List<Sample> samples, long atMs) {

    static final Scrape NONE = new Scrape(List.of(), 0);

    /** {@code labels}: the text between the braces, empty for none. */
    record Sample(String name, String labels, double value) {
    }

    static Scrape parse(String text, long atMs) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int close = brace < 0 ? -1 : line.lastIndexOf('}');
            int space = line.indexOf(' ', Math.max(0, close));
            if (space < 0) {
                continue;
            }
            String name = brace < 0 ? line.substring(0, space) : line.substring(0, brace);
            String labels = brace < 0 ? "" : line.substring(brace + 1, close);
            String rest = line.substring(space + 1).trim();
            int timestamp = rest.indexOf(' ');
            try {
                samples.add(new Sample(name, labels, Double.parseDouble(timestamp < 0 ? rest : rest.substring(0, timestamp))));
            } catch (NumberFormatException e) {
                // A value this tool cannot read is one it does not report.
            }
        }
        return new Scrape(samples, atMs);
    }

    boolean present() {
        return !samples.isEmpty();
    }

    /**
     * The sum of {@code name}'s series whose labels hold {@code labelPart} ("" for all); NaN when there is none.
     * Negative values are left out: Micrometer writes -1 for "undefined" (a memory pool with no maximum).
     */
    double sum(String name, String labelPart) {
        double sum = 0;
        boolean found = false;
        for (Sample sample : samples) {
            if (sample.name().equals(name) && sample.labels().contains(labelPart) && sample.value() >= 0) {
                sum += sample.value();
                found = true;
            }
        }
        return found ? sum : Double.NaN;
    }

    double value(String name) {
        return sum(name, "");
    }
}
