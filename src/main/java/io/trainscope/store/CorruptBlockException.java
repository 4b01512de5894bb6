package io.trainscope.store;

/** A block whose CRC does not match, or whose bytes pass the CRC but do not decode (a CRC collision or a bug). */
final class CorruptBlockException extends Exception {

    private final boolean crc;

    CorruptBlockException(String message) {
        this(message, false);
    }

    private CorruptBlockException(String message, boolean crc) {
        super(message);
        this.crc = crc;
    }

    static CorruptBlockException crcMismatch() {
        return new CorruptBlockException("its CRC does not match", true);
    }

    /** True when the CRC did not match, false when the block passed it but did not decode. */
    boolean crc() {
        return crc;
    }
}
