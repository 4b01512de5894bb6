package io.trainscope.server;

import com.fasterxml.jackson.core.JsonGenerator;
import io.trainscope.history.History;
import io.trainscope.point.Points;
import io.trainscope.wire.MetricsCsv;
import io.trainscope.wire.MetricsJson;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * {@code GET /api/runs/{id}/metrics}: every point published when the request came, as JSON lines or CSV,
 * streamed a block at a time with the response's back-pressure. A ten-million-point run is never held in
 * memory as text. Blocks are read and encoded on a worker (a stored history reads them from disk) one at a
 * time, and written from the event loop.
 */
final class MetricsExport {

    static final int BLOCK = 2048;

    enum Format {
        JSON_LINES("application/x-ndjson"), CSV("text/csv; charset=utf-8");

        final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }
    }

    private final Vertx vertx;
    private final History history;
    private final Format format;
    private final HttpServerResponse response;
    private final long end;
    /** The CSV's columns, once the first point has said which optional ones the run has. */
    private MetricsCsv csv;
    private long next;
    private boolean reading;

    private MetricsExport(Vertx vertx, History history, Format format, HttpServerResponse response) {
        this.vertx = vertx;
        this.history = history;
        this.format = format;
        this.response = response;
        this.end = history.size();
    }

    static void stream(Vertx vertx, History history, Format format, String runId, HttpServerResponse response) {
        response.setChunked(true)
                .putHeader("Content-Type", format.contentType)
                .putHeader("Content-Disposition", "attachment; filename=\"" + runId
                        + (format == Format.CSV ? ".csv" : ".jsonl") + "\"");
        new MetricsExport(vertx, history, format, response).start();
    }

    private void start() {
        response.drainHandler(drained -> pump());
        if (format != Format.CSV) {
            pump();
            return;
        }
        // The header depends on the first point; a past run's log is opened from disk on its first read.
        reading = true;
        vertx.executeBlocking(() -> history.read(0, 1), false).onComplete(first -> {
            reading = false;
            if (first.failed()) {
                response.reset();
                return;
            }
            csv = MetricsCsv.of(first.result().layout(), first.result());
            response.write(csv.header());
            pump();
        });
    }

    /** Reads and writes the next block, unless one is being read or the response's queue is full. */
    private void pump() {
        if (reading || response.ended() || response.closed() || response.writeQueueFull()) {
            return;
        }
        if (next >= end) {
            response.end();
            return;
        }
        long from = next;
        long to = Math.min(end, next + BLOCK);
        reading = true;
        vertx.executeBlocking(() -> {
            Points block = history.read(from, to);
            return format == Format.CSV ? csv(block) : jsonLines(block);
        }, false).onComplete(encoded -> {
            reading = false;
            if (encoded.failed()) {
                // The status line has gone: cutting the stream short is the only honest signal left.
                response.reset();
                return;
            }
            next = to;
            if (!response.closed()) {
                response.write(encoded.result());
                pump();
            }
        });
    }

    private Buffer csv(Points block) {
        StringBuilder out = new StringBuilder(block.size() * 64);
        for (int p = 0; p < block.size(); p++) {
            csv.row(out, block, p);
        }
        return Buffer.buffer(out.toString());
    }

    private Buffer jsonLines(Points block) {
        return Messages.encode(out -> {
            out.setRootValueSeparator(null);
            for (int p = 0; p < block.size(); p++) {
                MetricsJson.writePoint(out, block, p);
                out.writeRaw('\n');
            }
        });
    }
}
