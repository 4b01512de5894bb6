package io.trainscope.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.nn.LearningRate;
import io.trainscope.run.RunStatus;
import io.trainscope.server.bus.Addresses;
import io.trainscope.server.bus.CommandReply;
import io.trainscope.server.bus.RunCommand;
import io.trainscope.server.bus.RunSnapshot;
import io.trainscope.server.bus.RunView;
import io.trainscope.server.bus.RunsView;
import io.trainscope.spec.SpecException;
import io.trainscope.spec.SpecParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The REST API of CONTRACT.md and docs/protocol.md. Reads come from the {@link RunsView}; writes are
 * {@link RunCommand}s to the training verticle, and every write passes the one access check in
 * {@link #mount}. Errors are JSON: {@code {"error": "…", "field": "…"}}.
 */
final class RestApi {

    private final RunsView registry;
    private final EventBus bus;
    private final JsonBodies bodies;
    private final long maxBodyBytes;
    private final ServerMetrics metrics;

    /** Access is checked before these routes, by {@link AccessRoutes}. */
    RestApi(RunsView registry, EventBus bus, JsonBodies bodies, long maxBodyBytes, ServerMetrics metrics) {
        this.registry = registry;
        this.bus = bus;
        this.bodies = bodies;
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = metrics;
    }

    void mount(Router router) {
        router.get("/health").handler(ctx -> json(ctx, 200, Buffer.buffer("{\"status\":\"ok\"}")));
        bodies.mount(router, "/api/*");
        router.get("/api/runs").handler(this::list);
        router.post("/api/runs").handler(this::start);
        router.get("/api/runs/:id").handler(ctx -> withRun(ctx, run -> json(ctx, 200, Messages.run(run.snapshot()))));
        router.patch("/api/runs/:id").handler(this::rename);
        router.delete("/api/runs/:id").handler(ctx -> request(ctx, RunCommand.control(RunCommand.Kind.DELETE,
                ctx.pathParam("id"))));
        router.post("/api/runs/:id/:action").handler(this::control);
        router.get("/api/runs/:id/metrics").handler(this::metrics);
        router.get("/api/runs/:id/parameters").handler(this::parameters);
        router.route("/api/*").handler(ctx -> error(ctx, 404, "no such endpoint: " + ctx.request().method()
                + " " + ctx.request().path(), null));
        router.route("/api/*").failureHandler(ctx -> {
            int code = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            if (code == 413) {
                metrics.refused("body");
            }
            String message = switch (code) {
                case 413 -> "the body is larger than " + maxBodyBytes + " bytes (--max-body-bytes)";
                case 400 -> "the body could not be read; send it as JSON with Content-Type: application/json";
                default -> "the request failed: " + (ctx.failure() == null || ctx.failure().getMessage() == null
                        ? "status " + code : ctx.failure().getMessage());
            };
            error(ctx, code, message, null);
        });
    }

    /** Runs encoded on the event loop at the most; a longer list is encoded on a worker (10,000 runs: a few MB). */
    static final int INLINE_LIST = 200;

    /**
     * {@code GET /api/runs}: every run, newest first; {@code ?offset=N&limit=M} pages through them (optional: the
     * list is complete without), and {@code X-Total-Count} says how many there are either way.
     */
    private void list(RoutingContext ctx) {
        long offset = whole(ctx, "offset", 0);
        long limit = offset < 0 ? 0 : whole(ctx, "limit", Long.MAX_VALUE);
        if (offset < 0 || limit < 0) {
            String name = offset < 0 ? "offset" : "limit";
            String text = ctx.request().getParam(name);
            error(ctx, 400, "\"" + name + "\" must be a whole number of at least 0, got \""
                    + (text.length() > 20 ? text.substring(0, 20) + "…" : text) + "\"", name);
            return;
        }
        List<RunView> all = registry.list();
        int from = (int) Math.max(0, all.size() - Math.min(all.size(), offset));
        int to = (int) Math.max(0, from - Math.min(from, limit));
        List<RunSnapshot> runs = new ArrayList<>(from - to);
        for (int i = from - 1; i >= to; i--) {
            runs.add(all.get(i).snapshot());
        }
        ctx.response().putHeader("X-Total-Count", String.valueOf(all.size()));
        if (runs.size() <= INLINE_LIST) {
            json(ctx, 200, Messages.runs(runs));
            return;
        }
        ctx.vertx().executeBlocking(() -> Messages.runs(runs), false).onComplete(encoded -> {
            if (encoded.succeeded()) {
                json(ctx, 200, encoded.result());
            } else {
                error(ctx, 500, "the list could not be encoded: " + encoded.cause().getMessage(), null);
            }
        });
    }

    /** A query parameter's whole number, {@code absent} without it, or -1 when it is not one of at least 0. */
    private static long whole(RoutingContext ctx, String name, long absent) {
        String text = ctx.request().getParam(name);
        if (text == null) {
            return absent;
        }
        try {
            return Math.max(-1, Long.parseLong(text));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** One spec (a JSON object), or a sweep: a list of them, started or queued all at once or none ({@link Sweeps}). */
    private void start(RoutingContext ctx) {
        JsonNode spec = JsonBodies.of(ctx);
        if (spec.isArray()) {
            try {
                request(ctx, RunCommand.start(Sweeps.of(spec, "")));
            } catch (Sweeps.NotASweep e) {
                error(ctx, 400, e.getMessage(), e.field);
            }
            return;
        }
        if (!spec.isObject()) {
            error(ctx, 400, "the body must be a run spec: a JSON object such as {\"layers\": [2, 8, 1], …}, or a list"
                    + " of them (a sweep)", null);
            return;
        }
        request(ctx, RunCommand.start((ObjectNode) spec));
    }

    private void control(RoutingContext ctx) {
        String action = ctx.pathParam("action");
        if (action.equals(RunCommand.Kind.SET.wire())) {
            set(ctx);
            return;
        }
        if (action.equals("gradient-check")) {
            request(ctx, RunCommand.control(RunCommand.Kind.GRADIENT_CHECK, ctx.pathParam("id")));
            return;
        }
        RunCommand.Kind kind;
        try {
            kind = RunCommand.Kind.valueOf(action.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            kind = null;
        }
        if (kind != RunCommand.Kind.STOP && kind != RunCommand.Kind.PAUSE && kind != RunCommand.Kind.RESUME
                && kind != RunCommand.Kind.STEP) {
            error(ctx, 404, "unknown action \"" + action
                    + "\"; expected stop, pause, resume, step, set or gradient-check", null);
            return;
        }
        request(ctx, RunCommand.control(kind, ctx.pathParam("id")));
    }

    /** {@code PATCH /api/runs/{id}} with {@code {"name": "…"}}: a null or blank name clears it. */
    private void rename(RoutingContext ctx) {
        JsonNode body = JsonBodies.of(ctx);
        JsonNode name = body.get("name");
        if (!body.isObject() || name == null || !(name.isTextual() || name.isNull())) {
            error(ctx, 400, "the body must be {\"name\": \"…\"} (a string, or null to clear the name)", "name");
            return;
        }
        request(ctx, RunCommand.rename(ctx.pathParam("id"), name.isNull() ? null : name.asText()));
    }

    /**
     * {@code POST /api/runs/{id}/set} with {@code {"learningRate": x}}: a live run's rate from its next iteration,
     * as the WebSocket's {@code set}.
     */
    private void set(RoutingContext ctx) {
        JsonNode body = JsonBodies.of(ctx);
        if (!body.isObject()) {
            error(ctx, 400, "the body must be {\"learningRate\": x} (" + LearningRate.RULE + ")", "learningRate");
            return;
        }
        try {
            request(ctx, RunCommand.set(ctx.pathParam("id"), SpecParser.learningRate(body.get("learningRate"))));
        } catch (SpecException e) {
            error(ctx, 400, e.getMessage(), e.field());
        }
    }

    /** {@code GET /api/runs/{id}/parameters}: the final parameters, sent from the run's folder. */
    private void parameters(RoutingContext ctx) {
        withRun(ctx, run -> (run.snapshot().parameters() ? registry.parametersFile(run.id())
                : io.vertx.core.Future.<java.nio.file.Path>succeededFuture(null)).onComplete(found -> {
            if (found.failed()) {
                error(ctx, 502, "the final parameters of run " + run.id() + " could not be had from its node: "
                        + found.cause().getMessage(), null);
                return;
            }
            java.nio.file.Path file = found.result();
            if (file == null) {
                RunStatus status = run.snapshot().status();
                error(ctx, 404, "run " + run.id() + " has no final parameters: " + (status.live()
                        ? "it is still " + status.wire() + "; they are kept when it stops or finishes"
                        : status == RunStatus.STOPPED || status == RunStatus.FINISHED
                        ? "this server keeps runs in memory only (no --data-dir)"
                        : "it ended " + status.wire() + ", and only a stopped or finished run's are kept"), null);
                return;
            }
            ctx.response().putHeader("Content-Type", "application/json")
                    .putHeader("Content-Disposition", "attachment; filename=\"" + run.id() + "-parameters.json\"")
                    .sendFile(file.toString());
        }));
    }

    private void request(RoutingContext ctx, RunCommand command) {
        bus.<CommandReply>request(Addresses.COMMANDS, command).onComplete(answer -> {
            if (answer.failed()) {
                error(ctx, 500, command.kind().wire() + " failed: " + answer.cause().getMessage(), null);
                return;
            }
            CommandReply reply = answer.result().body();
            if (!reply.succeeded()) {
                error(ctx, reply.code(), reply.error(), reply.field());
            } else if (reply.check() != null) {
                json(ctx, 200, Messages.gradientCheck(reply.check(), false));
            } else if (reply.code() == 201) {
                ctx.response().putHeader("Location", "/api/runs/" + reply.run().id());
                json(ctx, 201, Messages.encode(out -> {
                    out.writeStartObject();
                    out.writeStringField("id", reply.run().id());
                    out.writeStringField("status", reply.run().status().wire());
                    if (reply.runs().size() > 1) {
                        out.writeArrayFieldStart("ids");
                        for (RunSnapshot run : reply.runs()) {
                            out.writeString(run.id());
                        }
                        out.writeEndArray();
                    }
                    out.writeEndObject();
                }));
            } else {
                json(ctx, reply.code(), Messages.run(reply.run()));
            }
        });
    }

    private void metrics(RoutingContext ctx) {
        withRun(ctx, run -> {
            String format = ctx.request().getParam("format", "jsonl");
            MetricsExport.Format chosen = switch (format) {
                case "jsonl", "json" -> MetricsExport.Format.JSON_LINES;
                case "csv" -> MetricsExport.Format.CSV;
                default -> null;
            };
            if (chosen == null) {
                error(ctx, 400, "unknown format \"" + format + "\"; expected jsonl or csv", "format");
                return;
            }
            metrics.history("export");
            MetricsExport.stream(ctx.vertx(), run.history(), chosen, run.id(), ctx.response());
        });
    }

    private void withRun(RoutingContext ctx, java.util.function.Consumer<RunView> then) {
        RunView run = registry.find(ctx.pathParam("id"));
        if (run == null) {
            error(ctx, 404, "no run with id " + ctx.pathParam("id"), null);
        } else {
            then.accept(run);
        }
    }

    private static io.vertx.core.Future<Void> json(RoutingContext ctx, int code, Buffer body) {
        return ctx.response().setStatusCode(code).putHeader("Content-Type", "application/json").end(body);
    }

    static io.vertx.core.Future<Void> error(RoutingContext ctx, int code, String message, String field) {
        return json(ctx, code, Messages.encode(out -> {
            out.writeStartObject();
            out.writeStringField("error", message);
            if (field != null) {
                out.writeStringField("field", field);
            }
            out.writeEndObject();
        }));
    }
}
