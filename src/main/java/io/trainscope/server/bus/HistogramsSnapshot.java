package io.trainscope.server.bus;

import io.trainscope.nn.LayerHistograms;

import java.util.List;

/**
 * A run's histograms after {@code iteration} iterations (docs/protocol.md, {@code histograms}).
 *
 * @param kept   whether the run keeps it (its history of histograms over time)
 * @param stride the run's keeping stride when it was made: it keeps one snapshot per aligned bucket of this many
 *               iterations
 */
public record HistogramsSnapshot(String runId, long iteration, List<LayerHistograms> layers, boolean kept, long stride)
        implements ViewSnapshot {

    public HistogramsSnapshot {
        layers = List.copyOf(layers);
    }

    @Override
    public View view() {
        return View.HISTOGRAMS;
    }
}
