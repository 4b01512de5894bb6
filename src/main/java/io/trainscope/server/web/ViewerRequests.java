package io.trainscope.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.bus.Addresses;
import io.trainscope.server.bus.CommandReply;
import io.trainscope.server.bus.RunCommand;
import io.trainscope.server.bus.RunView;
import io.trainscope.server.bus.RunsView;
import io.trainscope.spec.SpecException;
import io.trainscope.spec.SpecParser;
import io.trainscope.spec.StrictJson;
import io.vertx.core.eventbus.EventBus;

/**
 * What a viewer may ask over the WebSocket (docs/protocol.md, "Viewer to server"). Every message that cannot
 * be acted on is answered with an {@code error} to its sender alone, naming what is wrong; nothing a viewer
 * sends can close its connection, stop the server or disturb a run.
 */
final class ViewerRequests {

    static final String TYPES = "start, stop, pause, resume, step, set, rename, delete, follow, unfollow, history";

    private final ViewerHub hub;
    private final RunsView registry;
    private final EventBus bus;
    private final ServerConfig config;

    ViewerRequests(ViewerHub hub, RunsView registry, EventBus bus, ServerConfig config) {
        this.hub = hub;
        this.registry = registry;
        this.bus = bus;
        this.config = config;
    }

    /** A problem with one field of a message. */
    private static final class Refusal extends Exception {
        final String field;

        Refusal(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }

    void handle(Viewer viewer, String text) {
        JsonNode message;
        try {
            message = StrictJson.read(text);
        } catch (JsonProcessingException e) {
            hub.send(viewer, Messages.error(Messages.malformed(e), null, null));
            return;
        }
        if (!message.isObject()) {
            hub.send(viewer, Messages.error("a message must be a JSON object with a \"type\"", null, null));
            return;
        }
        JsonNode type = message.get("type");
        if (type == null || !type.isTextual()) {
            hub.send(viewer, Messages.error("a message needs a \"type\" string, one of " + TYPES, "type", null));
            return;
        }
        String request = type.asText();
        try {
            switch (request) {
                case "start" -> command(viewer, request, message.has("specs") ? RunCommand.start(specs(message))
                        : RunCommand.start(spec(message)));
                case "stop" -> command(viewer, request, RunCommand.control(RunCommand.Kind.STOP, runId(message)));
                case "pause" -> command(viewer, request, RunCommand.control(RunCommand.Kind.PAUSE, runId(message)));
                case "resume" -> command(viewer, request, RunCommand.control(RunCommand.Kind.RESUME, runId(message)));
                case "step" -> command(viewer, request, RunCommand.control(RunCommand.Kind.STEP, runId(message)));
                case "set" -> command(viewer, request, RunCommand.set(runId(message), learningRate(message)));
                case "rename" -> command(viewer, request, RunCommand.rename(runId(message), name(message)));
                case "delete" -> command(viewer, request, RunCommand.control(RunCommand.Kind.DELETE, runId(message)));
                case "follow" -> follow(viewer, message);
                case "unfollow" -> unfollow(viewer, message);
                case "history" -> history(viewer, message);
                default -> throw new Refusal("type", "unknown message type \"" + request + "\"; expected one of " + TYPES);
            }
        } catch (Refusal e) {
            hub.send(viewer, Messages.error(e.getMessage(), e.field, request));
        }
    }

    private void command(Viewer viewer, String request, RunCommand command) throws Refusal {
        if (!viewer.mayControl) {
            throw new Refusal("token", "this connection is read-only: " + request
                    + " needs the control token (connect to /ws?token=<token>)");
        }
        bus.<CommandReply>request(Addresses.COMMANDS, command).onComplete(answer -> {
            if (answer.failed()) {
                hub.send(viewer, Messages.error(request + " failed: " + answer.cause().getMessage(), null, request));
                return;
            }
            CommandReply reply = answer.result().body();
            if (reply.succeeded()) {
                hub.send(viewer, Messages.ack(request, reply.run().id(), reply.runs()));
            } else {
                hub.send(viewer, Messages.error(reply.error(), reply.field(), request));
            }
        });
    }

    private void follow(Viewer viewer, JsonNode message) throws Refusal {
        JsonNode auto = message.get("auto");
        if (auto != null) {
            if (!auto.isBoolean()) {
                throw new Refusal("auto", "\"auto\" must be true or false");
            }
            viewer.autoFollow = auto.booleanValue();
            if (!message.has("runId")) {
                return;
            }
        }
        RunView run = run(message);
        long after = optionalLong(message, "after", -1, -1);
        throttle(viewer);
        hub.follow(viewer, run, after + 1);
    }

    /** A viewer over its history budget is asked to wait (docs/security.md). */
    private void throttle(Viewer viewer) throws Refusal {
        long wait = hub.historyWait(viewer);
        if (wait > 0) {
            throw new Refusal(null, "history is limited to " + hub.historyBytesPerSecond()
                    + " bytes a second per viewer (--history-bytes-per-second); try again in " + wait + " ms");
        }
    }

    private void unfollow(Viewer viewer, JsonNode message) throws Refusal {
        hub.unfollow(viewer, run(message).id());
    }

    private void history(Viewer viewer, JsonNode message) throws Refusal {
        RunView run = run(message);
        long from = optionalLong(message, "from", 0, 0);
        long to = optionalLong(message, "to", hub.liveEnd(run), from);
        long maxPoints = optionalLong(message, "maxPoints", config.maxHistoryPoints(), 4);
        if (maxPoints > config.maxHistoryPoints()) {
            throw new Refusal("maxPoints", "\"maxPoints\" may be at most " + config.maxHistoryPoints());
        }
        hub.sendRequested(viewer, run, from, Math.min(to, hub.liveEnd(run)), (int) maxPoints);
    }

    private static ObjectNode spec(JsonNode message) throws Refusal {
        JsonNode spec = message.get("spec");
        if (spec == null || !spec.isObject()) {
            throw new Refusal("spec", "start needs \"spec\": a run spec object such as "
                    + "{\"layers\": [2, 8, 1], \"learningRate\": 0.1, \"iterations\": 1000, \"dataset\": {\"name\": \"xor\"}}");
        }
        return (ObjectNode) spec;
    }

    /** {@code "specs": [...]}: a sweep, every spec checked before any starts. */
    private static java.util.List<io.trainscope.server.bus.NewRun> specs(JsonNode message) throws Refusal {
        try {
            return Sweeps.of(message.get("specs"), "specs");
        } catch (Sweeps.NotASweep e) {
            throw new Refusal(e.field == null ? "specs" : e.field, e.getMessage());
        }
    }

    private static String name(JsonNode message) throws Refusal {
        JsonNode name = message.get("name");
        if (name == null || !(name.isTextual() || name.isNull())) {
            throw new Refusal("name", "rename needs \"name\": a string, or null to clear the name");
        }
        return name.isNull() ? null : name.asText();
    }

    /** The rule of the spec's {@code learningRate}; its bounds are checked again where the run is. */
    private static double learningRate(JsonNode message) throws Refusal {
        try {
            return SpecParser.learningRate(message.get("learningRate"));
        } catch (SpecException e) {
            throw new Refusal(e.field(), "set needs " + e.getMessage());
        }
    }

    private static String runId(JsonNode message) throws Refusal {
        JsonNode id = message.get("runId");
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            throw new Refusal("runId", "\"runId\" must name a run (a string)");
        }
        return id.asText();
    }

    private RunView run(JsonNode message) throws Refusal {
        String id = runId(message);
        RunView run = registry.find(id);
        if (run == null) {
            throw new Refusal("runId", "no run with id " + id);
        }
        return run;
    }

    private static long optionalLong(JsonNode message, String field, long absent, long min) throws Refusal {
        JsonNode node = message.get(field);
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < min) {
            throw new Refusal(field, "\"" + field + "\" must be a whole number of at least " + min);
        }
        return node.asLong();
    }
}
