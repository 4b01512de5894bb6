package io.trainscope.server;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may control and which pages may connect (CONTRACT.md, "Control and access"), decided here and nowhere
 * else. Without a token everyone may control. With one, control needs it: {@code Authorization: Bearer T} on
 * REST, {@code ?token=T} on the WebSocket URL; it is compared in constant time and never logged.
 */
final class Access {

    private final byte[] token;

    Access(String token) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    /** May a WebSocket opened with this request control runs? */
    boolean mayControlSocket(HttpServerRequest request) {
        return matches(request.getParam("token"));
    }

    /** May this REST request change anything? */
    boolean mayControlRest(HttpServerRequest request) {
        String header = request.getHeader("Authorization");
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim() : null;
        return matches(presented);
    }

    private boolean matches(String presented) {
        if (token == null) {
            return true;
        }
        return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Refuses cross-site WebSocket hijacking: a browser always sends {@code Origin}, and it must be this
     * server's own. Clients that send none (command-line tools) are allowed.
     */
    static boolean originAllowed(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return true;
        }
        HostAndPort authority = request.authority();
        if (authority == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            int own = authority.port() >= 0 ? authority.port() : request.isSSL() ? 443 : 80;
            return authority.host().equalsIgnoreCase(uri.getHost()) && port == own;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
