package io.trainscope.load;

import java.nio.charset.StandardCharsets;

/**
 * What a load viewer reads of a message: the plain fields at its start. The server writes every message as
 * {@code {"type": …, "runId": …, …}} with a {@code metrics} update's {@code time} third (docs/protocol.md), so
 * the first {@value #MAX_BYTES} bytes tell what a message is and when it was sent; the rest (the points, 10 KB
 * of them today) is counted and never decoded, which is what lets one small machine run thousands of viewers.
 *
 * @param type    the {@code type} field, or null
 * @param runId   the {@code runId} field, or null
 * @param time    the {@code time} field (epoch ms), or {@link #NO_TIME}
 * @param purpose a {@code history} message's {@code purpose}, or null
 */
record MessageHead(String type, String runId, long time, String purpose) {

    static final long NO_TIME = Long.MIN_VALUE;
    /** {@code {"type":"metrics","runId":"…","time":1796124852934,} with a run id of up to about 130 characters. */
    static final int MAX_BYTES = 192;

    private static final MessageHead NONE = new MessageHead(null, null, NO_TIME, null);
    private static final byte[] TYPE = bytes("type");
    private static final byte[] RUN_ID = bytes("runId");
    private static final byte[] TIME = bytes("time");
    private static final byte[] PURPOSE = bytes("purpose");

    boolean is(String type) {
        return type.equals(this.type);
    }

    /**
     * Reads the leading fields of the JSON object in {@code bytes[0, length)}, which may be cut anywhere. It
     * stops at the first value that is not a plain string, number or literal (the points array), at a string
     * with an escape, or where the bytes end: a field cut off is absent, never half read.
     */
    static MessageHead parse(byte[] bytes, int length) {
        String type = null;
        String runId = null;
        String purpose = null;
        long time = NO_TIME;
        int i = skipSpace(bytes, length, 0);
        if (i >= length || bytes[i] != '{') {
            return NONE;
        }
        i++;
        while (true) {
            i = skipSpace(bytes, length, i);
            if (i >= length || bytes[i] != '"') {
                break;
            }
            int keyStart = i + 1;
            int keyEnd = endOfString(bytes, length, keyStart);
            if (keyEnd < 0) {
                break;
            }
            i = skipSpace(bytes, length, keyEnd + 1);
            if (i >= length || bytes[i] != ':') {
                break;
            }
            i = skipSpace(bytes, length, i + 1);
            if (i >= length) {
                break;
            }
            byte first = bytes[i];
            if (first == '"') {
                int end = endOfString(bytes, length, i + 1);
                if (end < 0) {
                    break;
                }
                String value = new String(bytes, i + 1, end - i - 1, StandardCharsets.UTF_8);
                if (key(bytes, keyStart, keyEnd, TYPE)) {
                    type = value;
                } else if (key(bytes, keyStart, keyEnd, RUN_ID)) {
                    runId = value;
                } else if (key(bytes, keyStart, keyEnd, PURPOSE)) {
                    purpose = value;
                }
                i = end + 1;
            } else if (first == '-' || isDigit(first)) {
                int start = i;
                i++;
                while (i < length && isNumberPart(bytes[i])) {
                    i++;
                }
                if (i >= length) {
                    break;
                }
                if (key(bytes, keyStart, keyEnd, TIME)) {
                    time = wholeNumber(bytes, start, i);
                }
            } else if (first == 't' || first == 'f' || first == 'n') {
                while (i < length && bytes[i] >= 'a' && bytes[i] <= 'z') {
                    i++;
                }
            } else {
                break;
            }
            i = skipSpace(bytes, length, i);
            if (i >= length || bytes[i] != ',') {
                break;
            }
            i++;
        }
        return type == null && runId == null && time == NO_TIME && purpose == null ? NONE
                : new MessageHead(type, runId, time, purpose);
    }

    /** Index of the closing quote of a string starting at {@code from}, or -1 if cut off or escaped. */
    private static int endOfString(byte[] bytes, int length, int from) {
        for (int i = from; i < length; i++) {
            if (bytes[i] == '"') {
                return i;
            }
            if (bytes[i] == '\\') {
                return -1;
            }
        }
        return -1;
    }

    /** A whole number of up to 18 digits, or {@link #NO_TIME} for anything else (a fraction, an exponent). */
    private static long wholeNumber(byte[] bytes, int from, int to) {
        boolean negative = bytes[from] == '-';
        int start = negative ? from + 1 : from;
        if (to == start || to - start > 18) {
            return NO_TIME;
        }
        long value = 0;
        for (int i = start; i < to; i++) {
            if (!isDigit(bytes[i])) {
                return NO_TIME;
            }
            value = value * 10 + (bytes[i] - '0');
        }
        return negative ? -value : value;
    }

    private static boolean key(byte[] bytes, int from, int to, byte[] name) {
        if (to - from != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (bytes[from + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    private static int skipSpace(byte[] bytes, int length, int from) {
        int i = from;
        while (i < length && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isNumberPart(byte b) {
        return isDigit(b) || b == '.' || b == 'e' || b == 'E' || b == '+' || b == '-';
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
