package io.trainscope.server.access;

import java.nio.file.Path;
import java.util.List;

/**
 * How the server protects itself, read once from the command line (docs/security.md). The token itself is
 * {@link io.trainscope.server.ServerConfig#token()}.
 *
 * @param privateMode    watching needs the token too, not only control
 * @param allowedOrigins origins besides the server's own whose pages may open a WebSocket or write (reverse proxies)
 * @param allowedHosts   names besides the server's own that requests may name in {@code Host} ({@link HostPolicy})
 * @param limits         what one client may ask
 * @param tls            certificate and key for https:// and wss://, or null for plain HTTP
 */
public record SecurityConfig(boolean privateMode, List<String> allowedOrigins, List<String> allowedHosts, Limits limits,
                             Tls tls) {

    /** PEM files: the certificate (chain) and its private key (PKCS#8 or PKCS#1). */
    public record Tls(Path certificate, Path key) {
        public Tls {
            if (certificate == null || key == null) {
                throw new IllegalArgumentException("TLS needs both --tls-cert and --tls-key");
            }
        }
    }

    public static final SecurityConfig DEFAULT = new SecurityConfig(false, List.of(), List.of(), Limits.DEFAULT, null);

    public SecurityConfig {
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedHosts = List.copyOf(allowedHosts);
        new OriginPolicy(allowedOrigins);
        HostPolicy.forBinding("127.0.0.1", true, allowedHosts);
    }

    public SecurityConfig withPrivate(boolean privateMode) {
        return new SecurityConfig(privateMode, allowedOrigins, allowedHosts, limits, tls);
    }

    public SecurityConfig withLimits(Limits limits) {
        return new SecurityConfig(privateMode, allowedOrigins, allowedHosts, limits, tls);
    }

    public SecurityConfig withAllowedOrigins(List<String> allowedOrigins) {
        return new SecurityConfig(privateMode, allowedOrigins, allowedHosts, limits, tls);
    }

    public SecurityConfig withAllowedHosts(List<String> allowedHosts) {
        return new SecurityConfig(privateMode, allowedOrigins, allowedHosts, limits, tls);
    }

    public SecurityConfig withTls(Tls tls) {
        return new SecurityConfig(privateMode, allowedOrigins, allowedHosts, limits, tls);
    }
}
