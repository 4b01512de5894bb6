package io.trainscope.store;

import java.nio.file.Path;

/**
 * What opening a metrics file found. {@code problem} is null when every byte was a valid block; otherwise it
 * says what was dropped and why, and {@code damagedCopy} names where dropped bytes that were followed by more
 * data were saved (null for a torn tail, which is simply cut off).
 */
public record Recovery(long points, long lastIteration, long droppedBytes, String problem, Path damagedCopy) {

    public boolean clean() {
        return problem == null;
    }
}
