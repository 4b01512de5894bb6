package io.trainscope.server.bus;

import io.trainscope.spec.SpecException;

/**
 * The training verticle's answer to a {@link RunCommand}: the run afterwards, or why nothing was done.
 * {@code code} is the HTTP status the REST API answers with (200, 201, 400, 404, 409).
 *
 * @param field the spec field that is wrong, for a 400 about a spec; else null
 * @param check a gradient check's report, for {@link RunCommand.Kind#GRADIENT_CHECK}; else null
 */
public record CommandReply(RunSnapshot run, int code, String error, String field, GradientCheckReport check) {

    public CommandReply(RunSnapshot run, int code, String error, String field) {
        this(run, code, error, field, null);
    }

    public static CommandReply ok(RunSnapshot run, int code) {
        return new CommandReply(run, code, null, null);
    }

    public static CommandReply checked(RunSnapshot run, GradientCheckReport check) {
        return new CommandReply(run, 200, null, null, check);
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
