package io.trainscope.server.bus;

import io.trainscope.history.HistoryReader;

/** One run as the web side sees it: its latest snapshot, its history and its kept views, read-only. */
public interface RunView {

    String id();

    /** The run as last published; safe from any thread. */
    RunSnapshot snapshot();

    /** Its points so far; reads may touch disk, so off the event loop. */
    HistoryReader history();

    /** What it keeps of its views (histograms over time; data, boundary and network at its end); off the event loop. */
    KeptViews kept();
}
