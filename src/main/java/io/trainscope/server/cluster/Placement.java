package io.trainscope.server.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * Where a run started from a dashboard trains: on the trainer node ({@code serve --cluster --trainer},
 * {@code worker}) with the most free slots, as each node's heartbeat last said ({@code --max-running} minus its
 * live runs); a tie goes to this node, then to the lowest node id. With no trainer that has a free slot heard
 * within {@link RemoteRuns#NODE_TIMEOUT_MS}, the node the start came to trains it itself, within its own
 * {@code --max-running} (refused, as without a cluster, when it has no slot either). On the cluster verticle's
 * event loop.
 */
final class Placement {

    private record Slots(int free, long heard) {
    }

    private final String self;
    private final boolean selfTrainer;
    private final java.util.function.IntSupplier ownFree;
    private final Map<String, Slots> trainers = new HashMap<>();

    Placement(String self, boolean selfTrainer, java.util.function.IntSupplier ownFree) {
        this.self = self;
        this.selfTrainer = selfTrainer;
        this.ownFree = ownFree;
    }

    void heard(String node, boolean trainer, int free) {
        if (trainer) {
            trainers.put(node, new Slots(free, System.currentTimeMillis()));
        } else {
            trainers.remove(node);
        }
    }

    /** The node to train a new run; null for this one. */
    String choose() {
        long now = System.currentTimeMillis();
        String best = null;
        int most = selfTrainer ? ownFree.getAsInt() : 0;
        for (Map.Entry<String, Slots> node : trainers.entrySet()) {
            Slots slots = node.getValue();
            if (node.getKey().equals(self) || now - slots.heard() > RemoteRuns.NODE_TIMEOUT_MS) {
                continue;
            }
            if (slots.free() > most || slots.free() == most && most > 0 && best != null
                    && node.getKey().compareTo(best) < 0) {
                most = slots.free();
                best = node.getKey();
            }
        }
        return most > 0 ? best : null;
    }
}
