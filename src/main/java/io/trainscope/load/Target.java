package io.trainscope.load;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * The server a load test is aimed at, from a URL as the page is opened ({@code http://127.0.0.1:8080/?token=T})
 * or the WebSocket's ({@code ws://127.0.0.1:8080/ws}). Only a loopback address is taken: thousands of connections
 * and gigabytes a minute are a test of one's own machine, never of somebody else's.
 *
 * @param host   the server's address, a loopback one
 * @param port   its port
 * @param wsPath the WebSocket's path ({@code /ws} unless the URL named one)
 * @param token  the control token, from {@code ?token=} or the environment; null for none
 * @param query  what {@code --query} adds to the WebSocket's URL ({@code encoding=columns}); null for nothing
 */
public record Target(String host, int port, String wsPath, String token, String query) {

    public Target {
        if (!loopback(host)) {
            throw new IllegalArgumentException(host + " is not a loopback address: the load tool only tests a server on"
                    + " this machine (127.0.0.1, ::1 or localhost)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the URL needs a port from 1 to 65535, got " + port);
        }
    }

    /**
     * {@code url}: {@code http://host:port/…} (the page; the socket is its {@code ws}) or {@code ws://host:port/path}.
     * TLS is not taken: a loopback test needs none. {@code envToken} is used when the URL has no token.
     */
    public static Target parse(String url, String query, String envToken) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!scheme.equals("http") && !scheme.equals("ws")) {
            throw new IllegalArgumentException("the URL must be http://… (the page) or ws://… (its WebSocket), got "
                    + (scheme.isEmpty() ? "no scheme" : scheme + "://"));
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the URL names no host: " + url);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String wsPath = scheme.equals("ws") && !path.isEmpty() && !path.equals("/") ? path
                : (path.endsWith("/") ? path : path + "/") + "ws";
        String token = param(uri.getRawQuery(), "token");
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new Target(host, uri.getPort() < 0 ? 80 : uri.getPort(), wsPath,
                token != null ? token : (envToken == null || envToken.isEmpty() ? null : envToken),
                query == null || query.isEmpty() ? null : query);
    }

    /** The WebSocket's path and query: the token as the page sends it, then {@code --query}. */
    String wsUri() {
        StringBuilder uri = new StringBuilder(wsPath);
        char separator = '?';
        if (token != null) {
            uri.append(separator).append("token=").append(URLEncoder.encode(token, StandardCharsets.UTF_8));
            separator = '&';
        }
        if (query != null) {
            uri.append(separator).append(query.startsWith("?") || query.startsWith("&") ? query.substring(1) : query);
        }
        return uri.toString();
    }

    /** {@code http://host:port}, for REST and {@code /metrics}. */
    String httpBase() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The socket's URL as printed: never with the token. */
    String shown() {
        String shownQuery = (token != null ? "token=…" : "") + (token != null && query != null ? "&" : "")
                + (query != null ? query : "");
        return "ws://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + wsPath
                + (shownQuery.isEmpty() ? "" : "?" + shownQuery);
    }

    private static String param(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** Every address the name resolves to is loopback; a name that does not resolve is not. */
    static boolean loopback(String host) {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            for (InetAddress address : addresses) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
