package io.trainscope.server.bus;

import io.trainscope.spec.SpecException;

import java.util.List;

/**
 * The training verticle's answer to a {@link RunCommand}: the run afterwards, or why nothing was done.
 * {@code code} is the HTTP status the REST API answers with (200, 201, 400, 404, 409).
 *
 * @param field the spec field that is wrong, for a 400 about a spec; else null
 * @param runs  every run a start made, in the order asked (a start of one: that one); else empty
 */
public record CommandReply(RunSnapshot run, int code, String error, String field, List<RunSnapshot> runs) {

    public CommandReply {
        runs = runs == null ? List.of() : List.copyOf(runs);
    }

    public CommandReply(RunSnapshot run, int code, String error, String field) {
        this(run, code, error, field, run == null ? List.of() : List.of(run));
    }

    public static CommandReply ok(RunSnapshot run, int code) {
        return new CommandReply(run, code, null, null);
    }

    /** The runs a start made, all of them; {@link #run} is the first. */
    public static CommandReply started(List<RunSnapshot> runs) {
        return new CommandReply(runs.get(0), 201, null, null, runs);
    }

    public static CommandReply refused(int code, String error) {
        return new CommandReply(null, code, error, null);
    }

    public static CommandReply invalid(SpecException e) {
        return new CommandReply(null, 400, e.getMessage(), e.field());
    }

    public boolean succeeded() {
        return error == null;
    }
}
