package io.trainscope.load;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A {@link ViewerGroup} in the tool's own process ({@code --processes 0}, and the tests): the viewers' decoding then
 * shares this JVM, its heap and its CPU with the tool.
 */
final class LocalGroup implements Group {

    private final ViewerGroup group;
    private final CompletableFuture<ConnectReport> connected = new CompletableFuture<>();

    LocalGroup(Job job) {
        group = new ViewerGroup(job);
        // Handshakes are begun from a thread of this group's own: the viewers then spread over Vert.x's event loops.
        Thread connecting = new Thread(() -> {
            try {
                connected.complete(group.connect());
            } catch (Exception e) {
                connected.completeExceptionally(e);
            }
        }, "trainscope-load-connect");
        connecting.setDaemon(true);
        connecting.start();
    }

    @Override
    public ConnectReport connected() throws LoadException {
        try {
            return connected.get();
        } catch (ExecutionException e) {
            throw new LoadException("viewers could not connect: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadException("interrupted");
        }
    }

    @Override
    public void window(Window window) {
        group.window(window);
    }

    @Override
    public GroupReport report() throws LoadException {
        try {
            return group.report();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadException("interrupted");
        }
    }

    @Override
    public void close() {
        group.close();
    }
}
