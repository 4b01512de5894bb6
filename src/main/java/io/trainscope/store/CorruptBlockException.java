package io.trainscope.store;

/** A block whose bytes passed framing but do not decode: treated like a CRC mismatch. */
final class CorruptBlockException extends Exception {
    CorruptBlockException(String message) {
        super(message);
    }
}
