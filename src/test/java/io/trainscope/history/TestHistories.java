package io.trainscope.history;

/** Test histories for other packages' tests. */
public final class TestHistories {

    private TestHistories() {
    }

    /** {@code n} points whose cost is {@code 1 / (i + 1)}. */
    public static MemoryHistory history(int n) {
        return io.trainscope.point.DownsampleTest.history(n, i -> 1.0 / (i + 1));
    }
}
