package io.trainscope.server.web;

import java.util.Locale;

/**
 * How a viewer is sent points ({@code /ws?encoding=…}, docs/protocol.md). {@link #JSON}, the default, is
 * CONTRACT.md's: text frames, points as JSON objects. {@link #BINARY}: every message in a binary frame, its JSON
 * fields first, and the points of {@code metrics} and {@code history} as compact columns after them
 * ({@link io.trainscope.wire.MetricsBinary}).
 */
enum Encoding {
    JSON, BINARY;

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The encoding a viewer asked for; null asks for none. */
    static Encoding parse(String asked) {
        if (asked == null) {
            return JSON;
        }
        for (Encoding encoding : values()) {
            if (encoding.wire().equals(asked)) {
                return encoding;
            }
        }
        String shown = asked.length() > 40 ? asked.substring(0, 40) + "…" : asked;
        throw new IllegalArgumentException("encoding must be json or binary, got \"" + shown + "\"");
    }
}
