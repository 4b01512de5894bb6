package io.trainscope.server.access;

import com.sun.management.UnixOperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How many connections the server may hold: below the process's file-descriptor limit, so that a client that
 * opens sockets until the server runs out can never take the descriptors the server itself needs (run files,
 * the jar, new threads' files). Out of descriptors, the JVM fails in places far from the socket: here, the first
 * log line after a refused {@code accept} needed the time-zone file, could not open it, and left the class that
 * loads it unusable for the life of the process, so the acceptor thread died and the server never answered again.
 */
public final class ConnectionBudget {

    /** Descriptors kept for everything but connections: logs of open runs, jars, pipes, epoll, threads' files. */
    static final long RESERVE = 256;
    /** Never fewer than this, even under a tiny limit: a server that accepts nothing is of no use. */
    static final int MIN_CONNECTIONS = 16;
    /** Where the limit is unknown (not a Unix system). */
    static final int UNKNOWN_LIMIT_CONNECTIONS = 10_000;

    private ConnectionBudget() {
    }

    /**
     * Makes the logging path need no file later: the first log line formats a date, which loads the time-zone
     * rules from a file; when that first line is the one about a refused {@code accept}, there is no descriptor left
     * to open it, and the class that holds the rules stays unusable for the life of the process.
     */
    public static void prepareForExhaustion() {
        java.time.ZoneId.systemDefault().getRules();
        new java.util.logging.SimpleFormatter().format(new java.util.logging.LogRecord(java.util.logging.Level.INFO, ""));
    }

    /** {@code configured} when it is set (> 0), else the descriptor limit less those open now and a reserve. */
    public static int maxConnections(int configured) {
        if (configured > 0) {
            return configured;
        }
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof UnixOperatingSystemMXBean unix)) {
            return UNKNOWN_LIMIT_CONNECTIONS;
        }
        long free = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount() - RESERVE;
        return (int) Math.max(MIN_CONNECTIONS, Math.min(Integer.MAX_VALUE, free));
    }
}
