package io.trainscope.load;

import java.io.PrintStream;

/**
 * Said before connecting, when a limit of this machine will fail viewers: each is one descriptor in a worker and
 * one in the server, and one local port. The test still runs; its failures then read EMFILE or EADDRNOTAVAIL.
 */
final class Warnings {

    /** Descriptors a JVM holds besides its sockets (jars, pipes, epoll). */
    static final int SPARE_FILES = 100;

    private Warnings() {
    }

    static void print(PrintStream out, LoadPlan plan, LoadReport.Limits limits) {
        int processes = Math.max(1, plan.processes());
        int perProcess = (plan.viewers() + processes - 1) / processes;
        if (limits.openFiles() > 0 && perProcess + SPARE_FILES > limits.openFiles()) {
            out.printf("warning: each process holds up to %d sockets but may open %d files: raise the limit (ulimit -n;"
                    + " the hard limit in /etc/security/limits.conf or systemd's LimitNOFILE) or give more --processes%n",
                    perProcess, limits.openFiles());
        }
        if (!Double.isNaN(limits.serverMaxFiles()) && plan.viewers() + SPARE_FILES > limits.serverMaxFiles()) {
            out.printf("warning: the server may open %.0f files, fewer than %d viewers need: restart it with a higher"
                    + " ulimit -n%n", limits.serverMaxFiles(), plan.viewers());
        }
        String[] range = limits.localPorts().split("-");
        if (range.length == 2) {
            int ports = Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
            if (plan.viewers() > ports) {
                out.printf("warning: %d viewers need more local ports than the %d of net.ipv4.ip_local_port_range%n",
                        plan.viewers(), ports);
            }
        }
    }
}
