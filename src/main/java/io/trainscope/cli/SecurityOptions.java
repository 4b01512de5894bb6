package io.trainscope.cli;

import io.trainscope.server.ServerConfig;
import io.trainscope.server.access.HostPolicy;
import io.trainscope.server.access.Limits;
import io.trainscope.server.access.SecurityConfig;
import io.trainscope.server.web.Messages;
import io.trainscope.spec.SpecLimits;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code serve} options for access, limits and TLS (docs/security.md), mixed into {@link ServeCommand}. */
public final class SecurityOptions {

    @Option(names = "--private", description = "Watching needs the token too, not only control.")
    boolean privateMode;

    @Option(names = "--allowed-origin", paramLabel = "ORIGIN",
            description = "Also accept WebSocket connections from pages of this origin (scheme://host[:port]), "
                    + "e.g. a reverse proxy's public address. Repeatable.")
    List<String> allowedOrigins = new ArrayList<>();

    @Option(names = "--allowed-host", paramLabel = "NAME",
            description = "Also answer requests for this host name (e.g. a reverse proxy's or this machine's DNS name; "
                    + "a leading dot allows every name under a domain). Others are refused (DNS rebinding). Repeatable.")
    List<String> allowedHosts = new ArrayList<>();

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate (chain) for https:// and wss://.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key of --tls-cert (PKCS#8 or PKCS#1).")
    Path tlsKey;

    @Option(names = "--max-viewers", description = "WebSocket viewers at once (default: ${DEFAULT-VALUE}).")
    int maxViewers = Limits.DEFAULT_MAX_VIEWERS;

    @Option(names = "--max-frame-bytes",
            description = "Largest WebSocket frame from a viewer (default: ${DEFAULT-VALUE}).")
    int maxFrameBytes = Limits.DEFAULT_MAX_FRAME_BYTES;

    @Option(names = "--max-message-bytes",
            description = "Largest WebSocket message from a viewer (default: ${DEFAULT-VALUE}).")
    int maxMessageBytes = ServerConfig.DEFAULT_MAX_MESSAGE_BYTES;

    @Option(names = "--message-rate",
            description = "Messages a second a viewer may send, on average (default: ${DEFAULT-VALUE}).")
    double messageRate = Limits.DEFAULT_MESSAGES_PER_SECOND;

    @Option(names = "--message-burst", description = "Messages a viewer may send at once (default: ${DEFAULT-VALUE}).")
    int messageBurst = Limits.DEFAULT_MESSAGE_BURST;

    @Option(names = "--max-body-bytes", description = "Largest REST request body (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes = Limits.DEFAULT_MAX_BODY_BYTES;

    @Option(names = "--max-bodies-bytes",
            description = "REST body bytes being received at once, all requests together (default: ${DEFAULT-VALUE}).")
    long maxBodiesBytes = Limits.DEFAULT_MAX_BODIES_BYTES;

    @Option(names = "--body-timeout", paramLabel = "SECONDS",
            description = "Longest a REST body may take to arrive (default: ${DEFAULT-VALUE}).")
    double bodyTimeout = Limits.DEFAULT_BODY_TIMEOUT_MILLIS / 1000.0;

    @Option(names = "--max-connections",
            description = "TCP connections at once; 0: the descriptor limit less a reserve (default: ${DEFAULT-VALUE}).")
    int maxConnections = Limits.DEFAULT_MAX_CONNECTIONS;

    @Option(names = "--header-timeout", paramLabel = "SECONDS",
            description = "Longest a new connection may take to send its request's headers (default: ${DEFAULT-VALUE}).")
    double headerTimeout = Limits.DEFAULT_HEADER_TIMEOUT_MILLIS / 1000.0;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS",
            description = "A connection idle this long is closed; viewers are pinged (default: ${DEFAULT-VALUE}).")
    double idleTimeout = Limits.DEFAULT_IDLE_TIMEOUT_MILLIS / 1000.0;

    @Option(names = "--stall-timeout", paramLabel = "SECONDS",
            description = "A viewer whose socket stays full this long (it reads nothing) is closed with a reason"
                    + " (default: ${DEFAULT-VALUE}).")
    double stallTimeout = Limits.DEFAULT_STALL_TIMEOUT_MILLIS / 1000.0;

    @Option(names = "--history-bytes-per-second",
            description = "History a viewer may be sent per second for its own requests (default: ${DEFAULT-VALUE}).")
    long historyBytesPerSecond = Limits.DEFAULT_HISTORY_BYTES_PER_SECOND;

    @Option(names = "--total-history-bytes-per-second",
            description = "History sent per second for viewers' requests, all together (default: ${DEFAULT-VALUE}).")
    long totalHistoryBytesPerSecond = Limits.DEFAULT_TOTAL_HISTORY_BYTES_PER_SECOND;

    @Option(names = "--max-layer-width",
            description = "Widest layer a spec may ask for, input included (default: ${DEFAULT-VALUE}).")
    int maxLayerWidth = SpecLimits.DEFAULT_MAX_LAYER_WIDTH;

    @Option(names = "--max-depth", description = "Most weight layers in a spec (default: ${DEFAULT-VALUE}).")
    int maxDepth = SpecLimits.DEFAULT_MAX_DEPTH;

    @Option(names = "--max-iterations", description = "Most iterations of one run (default: ${DEFAULT-VALUE}).")
    long maxIterations = SpecLimits.DEFAULT_MAX_ITERATIONS;

    @Option(names = "--max-samples", description = "Most examples in one run's data (default: ${DEFAULT-VALUE}).")
    int maxSamples = SpecLimits.DEFAULT_MAX_SAMPLES;

    @Option(names = "--max-parameters",
            description = "Most weights and biases in one network (default: ${DEFAULT-VALUE}).")
    long maxParameters = SpecLimits.DEFAULT_MAX_PARAMETERS;

    @Option(names = "--max-activations",
            description = "Most values in one pass: samples × sum of layer sizes (default: ${DEFAULT-VALUE}).")
    long maxActivations = SpecLimits.DEFAULT_MAX_ACTIVATIONS;

    /** The bounds on one spec, so that no request can exhaust the machine's memory. */
    SpecLimits specLimits() {
        return new SpecLimits(maxLayerWidth, maxDepth, maxIterations, maxSamples, maxParameters, maxActivations);
    }

    /** The options as a record; throws IllegalArgumentException naming the bad option. */
    SecurityConfig config(String token) {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("TLS needs both --tls-cert and --tls-key");
        }
        for (Path file : tlsCert == null ? List.<Path>of() : List.of(tlsCert, tlsKey)) {
            if (!java.nio.file.Files.isReadable(file)) {
                throw new IllegalArgumentException("cannot read " + file);
            }
        }
        if (privateMode && token == null) {
            throw new IllegalArgumentException("--private needs a token");
        }
        Limits limits = new Limits(maxFrameBytes, maxViewers, messageRate, messageBurst, maxBodyBytes, maxBodiesBytes,
                seconds(bodyTimeout), maxConnections, seconds(headerTimeout), seconds(idleTimeout), historyBytesPerSecond,
                totalHistoryBytesPerSecond, seconds(stallTimeout));
        return new SecurityConfig(privateMode, allowedOrigins, allowedHosts, limits,
                tlsCert == null ? null : new SecurityConfig.Tls(tlsCert, tlsKey), System::nanoTime);
    }

    private static long seconds(double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("timeouts must be a number of seconds > 0, got " + value);
        }
        return Math.round(value * 1000);
    }

    /** Loopback only? See {@link HostPolicy#loopback}. */
    static boolean loopback(String host) {
        return HostPolicy.loopback(host);
    }
}
