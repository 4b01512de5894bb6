package io.trainscope.server.bus;

import java.util.Locale;

/**
 * What a viewer may subscribe to besides a run's points (docs/protocol.md, "Views"): snapshots of the network a
 * few times a second at most, computed on the training thread only while some viewer wants them.
 */
public enum View {
    /** Per weight layer, histograms of W, dW and the activations. */
    HISTOGRAMS,
    /** The output on a grid over the input plane, for networks of two inputs; with the examples ({@code data}). */
    BOUNDARY,
    /** The weights and biases, for a drawing of the network. */
    NETWORK;

    /** The wire name: {@code histograms}, {@code boundary}, {@code network}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The view of this wire name, or null. */
    public static View of(String wire) {
        for (View view : values()) {
            if (view.wire().equals(wire)) {
                return view;
            }
        }
        return null;
    }

    /** The wire names, for people: "histograms, boundary, network". */
    public static String names() {
        StringBuilder names = new StringBuilder();
        for (View view : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(view.wire());
        }
        return names.toString();
    }

    /** This view's bit in a mask of views. */
    public int bit() {
        return 1 << ordinal();
    }
}
