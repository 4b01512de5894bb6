package io.trainscope.server.access;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses cross-site WebSocket hijacking: a browser always sends {@code Origin} on a WebSocket handshake, and
 * a page from another site must not be able to open one with the user's access. Allowed: no {@code Origin}
 * (command-line tools, which a browser page cannot pretend to be), this server's own origin (the scheme, host
 * and port of the request's {@code Host}), and each origin given with {@code --allowed-origin} (a reverse
 * proxy's public address).
 */
public final class OriginPolicy {

    private final Set<String> extra = new HashSet<>();

    /** {@code allowed}: origins such as {@code https://dash.example.org} or {@code http://10.0.0.5:8080}. */
    public OriginPolicy(List<String> allowed) {
        for (String origin : allowed) {
            String normal = normalize(origin);
            if (normal == null) {
                throw new IllegalArgumentException("--allowed-origin must be scheme://host[:port], got \"" + origin + "\"");
            }
            extra.add(normal);
        }
    }

    public boolean allowed(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return true;
        }
        String normal = normalize(origin);
        if (normal == null) {
            return false;
        }
        if (extra.contains(normal)) {
            return true;
        }
        HostAndPort authority = request.authority();
        if (authority == null) {
            return false;
        }
        String scheme = request.isSSL() ? "https" : "http";
        int port = authority.port() >= 0 ? authority.port() : defaultPort(scheme);
        return normal.equals(scheme + "://" + unbracket(authority.host().toLowerCase(Locale.ROOT)) + ":" + port);
    }

    /** {@code scheme://host:port} in lower case with the port made explicit, or null when not an origin. */
    static String normalize(String origin) {
        try {
            URI uri = new URI(origin.trim());
            String scheme = uri.getScheme();
            if (scheme == null || uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty()
                    && !uri.getPath().equals("/")) || uri.getQuery() != null) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return null;
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme);
            return scheme + "://" + unbracket(uri.getHost().toLowerCase(Locale.ROOT)) + ":" + port;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    /** An IPv6 literal without its brackets, which URIs keep and some Host parsers drop. */
    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }
}
