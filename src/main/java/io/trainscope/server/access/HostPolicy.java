package io.trainscope.server.access;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses DNS rebinding: a page on {@code evil.example} whose name is made to resolve to 127.0.0.1 reaches a
 * loopback server as a same-origin page, {@code Origin} and all, and only the {@code Host} header still says
 * {@code evil.example}. So a server bound to loopback answers only requests for a loopback name or address
 * ({@code localhost} and {@code *.localhost}, 127.0.0.0/8, {@code ::1}), whatever the port, and a server bound
 * elsewhere only for its own names: the address it is bound to, this machine's host name, and any IP literal
 * (a rebinding attack needs a name it controls, so a literal address is never one). Names given with
 * {@code --allowed-host} are added; one starting with a dot also allows every name under it. Jupyter and Vite
 * refuse unknown hosts for the same reason.
 *
 * <p>The port is not compared: behind an SSH tunnel ({@code ssh -L 9000:127.0.0.1:8080}) the browser names the
 * tunnel's port, and the name alone is what a rebinding attack cannot fake.
 */
public final class HostPolicy {

    private final boolean loopbackOnly;
    private final Set<String> names = new LinkedHashSet<>();
    private final List<String> domains = new ArrayList<>();

    private HostPolicy(boolean loopbackOnly) {
        this.loopbackOnly = loopbackOnly;
    }

    /**
     * The names a server bound to {@code bindHost} answers for, plus {@code allowed}. May look up this machine's
     * name (a DNS query when it is bound beyond loopback): call it once at start-up, off the event loop.
     *
     * @throws IllegalArgumentException naming a bad {@code --allowed-host}
     */
    public static HostPolicy forBinding(String bindHost, boolean loopback, List<String> allowed) {
        HostPolicy policy = new HostPolicy(loopback);
        for (String name : allowed) {
            String normal = normalize(name.startsWith(".") ? name.substring(1) : name);
            if (normal == null || normal.isEmpty() || normal.contains(":") && !NetUtil.isValidIpV6Address(normal)
                    || normal.contains("/") || normal.contains(" ")) {
                throw new IllegalArgumentException("--allowed-host must be a host name or address (a leading dot for "
                        + "every name under a domain), got \"" + name + "\"");
            }
            if (name.startsWith(".")) {
                policy.domains.add(normal);
            } else {
                policy.names.add(normal);
            }
        }
        if (!loopback) {
            policy.names.add(normalize(bindHost));
            try {
                InetAddress self = InetAddress.getLocalHost();
                policy.names.add(normalize(self.getHostName()));
                policy.names.add(normalize(self.getCanonicalHostName()));
            } catch (java.io.IOException e) {
                // No name for this machine: its addresses and --allowed-host still work.
            }
        }
        return policy;
    }

    /**
     * Loopback only (127.0.0.0/8, ::1, localhost)? A server reachable from elsewhere must not let anyone control
     * it: without {@code --token} it makes one. A name that does not resolve counts as not loopback. May query DNS.
     */
    public static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Whether a request naming {@code host} (the Host header's name, without the port) is answered. */
    public boolean allowed(String host) {
        String name = normalize(host);
        if (name == null || name.isEmpty()) {
            return false;
        }
        if (name.equals("localhost") || name.endsWith(".localhost") || names.contains(name)) {
            return true;
        }
        for (String domain : domains) {
            if (name.equals(domain) || name.endsWith("." + domain)) {
                return true;
            }
        }
        byte[] address = NetUtil.createByteArrayFromIpAddressString(name);
        if (address == null) {
            return false;
        }
        return !loopbackOnly || isLoopback(address);
    }

    /** What this server answers for, for the refusal's message. */
    public String describe() {
        List<String> shown = new ArrayList<>(List.of("localhost", "127.0.0.1", "[::1]"));
        if (!loopbackOnly) {
            shown.add("any IP address");
        }
        names.stream().filter(n -> !shown.contains(n)).forEach(shown::add);
        domains.forEach(d -> shown.add("*." + d));
        return String.join(", ", shown);
    }

    private static boolean isLoopback(byte[] address) {
        if (address.length == 4) {
            return address[0] == 127;
        }
        for (int i = 0; i < 15; i++) {
            if (address[i] != 0) {
                // An IPv4-mapped address, ::ffff:127.x.y.z.
                boolean mapped = i == 10 && address[10] == (byte) 0xff && address[11] == (byte) 0xff && address[12] == 127;
                return mapped;
            }
        }
        return address[15] == 1;
    }

    /** Lower case, without IPv6 brackets or the trailing dot of a fully qualified name; null for null. */
    static String normalize(String host) {
        if (host == null) {
            return null;
        }
        String name = host.trim().toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }
}
