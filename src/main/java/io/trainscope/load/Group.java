package io.trainscope.load;

/**
 * One process's viewers as the tool drives them, in this process ({@link LocalGroup}) or in a child
 * ({@link ChildGroup}). Every group begins connecting when made, so that all connect at once.
 */
interface Group extends AutoCloseable {

    /** Waits until its viewers have connected, or failed to within the connect phase. */
    ConnectReport connected() throws LoadException;

    void window(Window window) throws LoadException;

    /** Waits for the window to end and the slow viewers' drain, then reports. */
    GroupReport report() throws LoadException;

    @Override
    void close();
}
