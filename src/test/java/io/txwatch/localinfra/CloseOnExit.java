package io.txwatch.localinfra;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * What a command has started (servers, the service, publishers), closed newest first by a shutdown hook, so that
 * Ctrl-C leaves no server running. Closing twice is harmless for everything tracked here.
 */
public final class CloseOnExit {

    private final Deque<AutoCloseable> running = new ConcurrentLinkedDeque<>();

    public CloseOnExit(String command) {
        Runtime.getRuntime().addShutdownHook(new Thread(this::closeAll, command + "-shutdown"));
    }

    public <T extends AutoCloseable> T track(T resource) {
        running.addFirst(resource);
        return resource;
    }

    private void closeAll() {
        for (AutoCloseable resource = running.pollFirst(); resource != null; resource = running.pollFirst()) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("Could not close " + resource + ": " + e);
            }
        }
    }
}
