package io.trainscope.server.bus;

import io.trainscope.history.HistoryReader;

/** One run as the web side sees it: its latest snapshot and its history, read-only. */
public interface RunView {

    String id();

    /** The run as last published; safe from any thread. */
    RunSnapshot snapshot();

    /** Its points so far; reads may touch disk, so off the event loop. */
    HistoryReader history();
}
