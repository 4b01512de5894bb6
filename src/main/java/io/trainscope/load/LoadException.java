package io.trainscope.load;

/** A load test that cannot go on, with a one-line reason for the user (no server, no live run, a worker gone). */
public final class LoadException extends Exception {

    public LoadException(String message) {
        super(message);
    }
}
