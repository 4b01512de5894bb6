package io.trainscope.server.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a process joins the cluster, read once from the command line ({@code --cluster*} options). The defaults
 * need no set-up on one machine: Hazelcast on loopback, found by TCP-IP on ports {@value #DEFAULT_PORT} and up,
 * multicast off, cluster name {@value #DEFAULT_NAME}.
 *
 * @param host        the interface Hazelcast and the event bus bind to and announce ({@code --cluster-host})
 * @param port        Hazelcast's port; taken, the next free one of {@value #PORT_COUNT} ({@code --cluster-port})
 * @param busPort     the event bus's TCP port, 0 for any free one ({@code --cluster-bus-port})
 * @param members     where to look for other members, {@code host} or {@code host:port} ({@code --cluster-members})
 * @param configFile  a Hazelcast XML or YAML file that replaces the settings above but the name ({@code --cluster-config})
 * @param name        the cluster's name: members of other names never join ({@code --cluster-name})
 * @param tls         the event bus's certificate, key and trusted CA, or null for plain TCP
 * @param trainer     this node takes runs started from any dashboard ({@code serve --cluster --trainer}, {@code worker})
 */
public record ClusterConfig(String host, int port, int busPort, List<String> members, Path configFile, String name,
                            Tls tls, boolean trainer) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5701;
    /** Ports tried from {@link #port} up, and on each member given without a port. */
    public static final int PORT_COUNT = 20;
    public static final String DEFAULT_NAME = "trainscope";

    /** The event bus over TLS with client authentication: each side shows {@code certificate}, trusts {@code ca}. */
    public record Tls(Path certificate, Path key, Path ca) {
        public Tls {
            readable(certificate, "--cluster-cert");
            readable(key, "--cluster-key");
            readable(ca, "--cluster-ca");
        }
    }

    public ClusterConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--cluster-host must name an interface");
        }
        checkPort(port, "--cluster-port", 1);
        checkPort(busPort, "--cluster-bus-port", 0);
        members = List.copyOf(members);
        for (String member : members) {
            checkMember(member);
        }
        if (configFile != null) {
            readable(configFile, "--cluster-config");
            String file = configFile.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!file.endsWith(".xml") && !file.endsWith(".yaml") && !file.endsWith(".yml")) {
                throw new IllegalArgumentException("--cluster-config must be a Hazelcast .xml, .yaml or .yml file, got "
                        + configFile);
            }
        }
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("--cluster-name must be 1 to 64 letters, digits, '.', '_' or '-', got \""
                    + name + "\"");
        }
    }

    /** The defaults: this machine only. */
    public static ClusterConfig local() {
        return new ClusterConfig(DEFAULT_HOST, DEFAULT_PORT, 0, List.of(DEFAULT_HOST), null, DEFAULT_NAME, null, false);
    }

    public ClusterConfig withName(String name) {
        return new ClusterConfig(host, port, busPort, members, configFile, name, tls, trainer);
    }

    public ClusterConfig withPort(int port) {
        return new ClusterConfig(host, port, busPort, members, configFile, name, tls, trainer);
    }

    public ClusterConfig withMembers(List<String> members) {
        return new ClusterConfig(host, port, busPort, members, configFile, name, tls, trainer);
    }

    public ClusterConfig withTls(Tls tls) {
        return new ClusterConfig(host, port, busPort, members, configFile, name, tls, trainer);
    }

    public ClusterConfig withTrainer(boolean trainer) {
        return new ClusterConfig(host, port, busPort, members, configFile, name, tls, trainer);
    }

    /** {@code host:port,host,...} as {@code --cluster-members} takes it; each checked. */
    public static List<String> parseMembers(String list) {
        List<String> members = new ArrayList<>();
        for (String part : list.split(",")) {
            String member = part.strip();
            if (member.isEmpty()) {
                throw new IllegalArgumentException("--cluster-members must be host[:port],... with no empty entry, got \""
                        + list + "\"");
            }
            checkMember(member);
            members.add(member);
        }
        return members;
    }

    private static void checkMember(String member) {
        int colon = member.lastIndexOf(':');
        String host = colon < 0 || member.endsWith("]") ? member : member.substring(0, colon);
        if (host.isBlank() || host.contains(",") || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("--cluster-members: \"" + member + "\" is not host or host:port");
        }
        if (colon >= 0 && !member.endsWith("]")) {
            try {
                checkPort(Integer.parseInt(member.substring(colon + 1)), "--cluster-members: the port of " + member, 1);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--cluster-members: \"" + member + "\" has no port number after ':'");
            }
        }
    }

    private static void checkPort(int port, String option, int min) {
        if (port < min || port > 65535) {
            throw new IllegalArgumentException(option + " must be " + min + "..65535, got " + port);
        }
    }

    private static void readable(Path file, String option) {
        if (file == null) {
            throw new IllegalArgumentException(option + " is required with the other --cluster-cert/--cluster-key options");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(option + ": " + file + ": no such readable file");
        }
    }
}
