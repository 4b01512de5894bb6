package io.trainscope.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.UpgradeRejectedException;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why a viewer could not connect, in a few words that group well: thousands of failures should read as a
 * handful of lines, each with its count.
 */
final class Failures {

    static final String TIMEOUT = "timeout";
    /** Distinct reasons kept before the rest are counted together: a bound on what a report can grow to. */
    static final int MAX_REASONS = 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Integer> counts = new TreeMap<>();

    synchronized void add(String reason) {
        String key = counts.containsKey(reason) || counts.size() < MAX_REASONS ? reason : "other";
        counts.merge(key, 1, Integer::sum);
    }

    synchronized Map<String, Integer> counts() {
        return new TreeMap<>(counts);
    }

    /** The reason for {@code failure}: the refusal's status and the server's own words, or the socket's error. */
    static String reason(Throwable failure) {
        if (failure instanceof UpgradeRejectedException rejected) {
            return "refused " + rejected.getStatus() + serverError(rejected);
        }
        String text = messages(failure);
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("too many open files")) {
            return "EMFILE: too many open files (raise ulimit -n)";
        }
        if (lower.contains("cannot assign requested address")) {
            return "EADDRNOTAVAIL: no free local port (widen net.ipv4.ip_local_port_range)";
        }
        if (lower.contains("connection refused")) {
            return "connection refused";
        }
        if (lower.contains("timeout") || lower.contains("timed out")) {
            return TIMEOUT;
        }
        return failure.getClass().getSimpleName() + ": " + text;
    }

    /** ": " and the {@code error} of a refusal's JSON body, or nothing when it has none. */
    private static String serverError(UpgradeRejectedException rejected) {
        if (rejected.getBody() == null || rejected.getBody().length() == 0) {
            return "";
        }
        try {
            JsonNode error = JSON.readTree(rejected.getBody().getBytes()).get("error");
            return error != null && error.isTextual() ? ": " + error.asText() : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** Every message in the cause chain: Netty wraps the socket's own error (EMFILE) in its exceptions. */
    private static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null && text.length() < 500; t = t.getCause()) {
            if (t.getMessage() != null) {
                text.append(text.length() == 0 ? "" : " / ").append(t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return text.length() == 0 ? "(no message)" : text.toString();
    }
}
