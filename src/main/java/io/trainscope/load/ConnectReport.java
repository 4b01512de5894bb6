package io.trainscope.load;

import java.util.Map;

/**
 * How one process's viewers connected.
 *
 * @param attempted       viewers tried
 * @param connected       handshakes that succeeded within the connect phase
 * @param failures        the others, by reason ({@code refused 503: …}, {@code timeout}, {@code EMFILE: …})
 * @param firstAttemptAt  epoch ms of the first handshake begun
 * @param lastConnectedAt epoch ms of the last handshake completed (0 if none was)
 * @param handshakeMs     each successful handshake's time, from its start
 * @param openFilesLimit  this process's limit on open descriptors (-1 when the platform does not say)
 */
record ConnectReport(int attempted, int connected, Map<String, Integer> failures, long firstAttemptAt,
                     long lastConnectedAt, Histogram.Counts handshakeMs, long openFilesLimit) {
}
