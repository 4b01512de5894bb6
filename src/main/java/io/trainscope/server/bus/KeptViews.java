package io.trainscope.server.bus;

import java.util.List;

/**
 * What a run keeps of its views, for viewers who subscribe late or to a run that has ended: its histograms over
 * time, and its data, boundary and network as they last were. Any thread; reads may touch disk, so never on an
 * event loop.
 */
public interface KeptViews {

    /** The kept histograms, in iteration order, and the stride they were kept at; empty when none. */
    Histograms histograms();

    /** The boundary as the run ended, or null (still live, not a run of two inputs, or never kept). */
    BoundarySnapshot boundary();

    /** The network as the run ended, or null. */
    NetworkSnapshot network();

    /** The run's examples for a boundary view, or null (not a run of two inputs, or never kept). */
    DataSnapshot data();

    /** A run's histograms over time: one per aligned bucket of {@code stride} iterations, in iteration order. */
    record Histograms(long stride, List<HistogramsSnapshot> snapshots) {

        public static final Histograms NONE = new Histograms(1, List.of());

        public Histograms {
            snapshots = List.copyOf(snapshots);
        }
    }

    /** Nothing kept. */
    KeptViews NONE = new KeptViews() {
        @Override
        public Histograms histograms() {
            return Histograms.NONE;
        }

        @Override
        public BoundarySnapshot boundary() {
            return null;
        }

        @Override
        public NetworkSnapshot network() {
            return null;
        }

        @Override
        public DataSnapshot data() {
            return null;
        }
    };
}
