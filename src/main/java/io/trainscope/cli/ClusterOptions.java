package io.trainscope.cli;

import io.trainscope.server.cluster.ClusterConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --cluster} and its settings, shared by {@code serve} and {@code train} (docs/cluster.md). */
public final class ClusterOptions {

    @Option(names = "--cluster", description = "Join the cluster (Vert.x clustered event bus, Hazelcast). With no other"
            + " --cluster-* option, members on this machine only.")
    boolean cluster;

    @Option(names = "--cluster-host", paramLabel = "HOST",
            description = "Interface this node binds and announces to the cluster (default: ${DEFAULT-VALUE}).")
    String host = ClusterConfig.DEFAULT_HOST;

    @Option(names = "--cluster-port", paramLabel = "PORT", description = "Hazelcast's port; when taken, the next free of "
            + ClusterConfig.PORT_COUNT + " (default: ${DEFAULT-VALUE}).")
    int port = ClusterConfig.DEFAULT_PORT;

    @Option(names = "--cluster-bus-port", paramLabel = "PORT",
            description = "The event bus's port between nodes; 0 for any free one (default: ${DEFAULT-VALUE}).")
    int busPort;

    @Option(names = "--cluster-members", paramLabel = "HOST[:PORT],...",
            description = "Where to find other members (default: ${DEFAULT-VALUE}).")
    String members = ClusterConfig.DEFAULT_HOST;

    @Option(names = "--cluster-config", paramLabel = "FILE",
            description = "A Hazelcast XML or YAML file instead of --cluster-host/port/members/name.")
    Path config;

    @Option(names = "--cluster-name", paramLabel = "NAME",
            description = "Only members of this name join (default: ${DEFAULT-VALUE}).")
    String name = ClusterConfig.DEFAULT_NAME;

    @Option(names = "--cluster-cert", paramLabel = "PEM",
            description = "The cluster's certificate: the event bus runs over TLS and takes only members that show one.")
    Path cert;

    @Option(names = "--cluster-key", paramLabel = "PEM", description = "The private key of --cluster-cert.")
    Path key;

    @Option(names = "--cluster-ca", paramLabel = "PEM",
            description = "The certificate(s) members' certificates must be signed by (default: --cluster-cert itself).")
    Path ca;

    /** The cluster to join, or null without {@code --cluster}; bad values throw, naming the option. */
    ClusterConfig config(boolean trainer) {
        if (!cluster) {
            if (trainer || cert != null || key != null || config != null) {
                throw new IllegalArgumentException((trainer ? "--trainer" : cert != null || key != null
                        ? "--cluster-cert/--cluster-key" : "--cluster-config") + " needs --cluster");
            }
            return null;
        }
        ClusterConfig.Tls tls = null;
        if (cert != null || key != null || ca != null) {
            tls = new ClusterConfig.Tls(cert, key, ca != null ? ca : cert);
        }
        return new ClusterConfig(host, port, busPort, ClusterConfig.parseMembers(members), config, name, tls, trainer);
    }
}
