package io.trainscope.load;

/**
 * The measuring window, epoch ms {@code [from, to)} by each message's arrival. All processes of a test share one:
 * they read the same clock.
 */
record Window(long from, long to) {

    boolean contains(long ms) {
        return ms >= from && ms < to;
    }

    double seconds() {
        return (to - from) / 1000.0;
    }
}
