package io.trainscope.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.server.bus.NewRun;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep (docs/protocol.md, "Sweeps"): a list of run specs started at once, usually differing in one field (learning
 * rates 0.01, 0.03, 0.1, 0.3; seeds 1..5). Each run's sweep label is what sets it apart: the values, in its spec, of
 * every field that is not the same in all of them ({@code {"learningRate": 0.03}}; a nested field by its dotted path,
 * {@code {"dataset.noise": 0.2}}; arrays such as {@code layers} compared whole). A run without a name of its own is
 * named after its label ({@code learningRate=0.03}).
 */
final class Sweeps {

    /** The most runs one start may ask for: the slots and the queue bound them again. */
    static final int MAX_RUNS = 32;

    private Sweeps() {
    }

    /** Thrown for a list that is not a sweep: names what is wrong, and where. */
    static final class NotASweep extends Exception {
        final String field;

        NotASweep(String field, String message) {
            super(message);
            this.field = field;
        }
    }

    /**
     * The runs of a sweep given as {@code list}; {@code at} names the list in errors ({@code specs}, or empty when the
     * list is the body itself: then its entries are {@code [0]}, {@code [1]}, …).
     */
    static List<NewRun> of(JsonNode list, String at) throws NotASweep {
        String where = at.isEmpty() ? "the body" : "\"" + at + "\"";
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new NotASweep(at.isEmpty() ? null : at, where + " must be a list of 1 to " + MAX_RUNS
                    + " run specs (JSON objects), got " + (list == null ? "nothing" : list.isArray() ? "an empty list"
                    : list.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        if (list.size() > MAX_RUNS) {
            throw new NotASweep(at.isEmpty() ? null : at, where + " holds " + list.size() + " specs; a sweep may start"
                    + " at most " + MAX_RUNS + " runs at once");
        }
        List<Map<String, JsonNode>> flat = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode spec = list.get(i);
            if (!spec.isObject()) {
                throw new NotASweep(at + "[" + i + "]", at + "[" + i + "] must be a run spec (a JSON object such as"
                        + " {\"layers\": [2, 8, 1], …}), got " + spec.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            flatten("", spec, fields);
            fields.remove("name");
            flat.add(fields);
        }
        List<String> differing = differing(flat);
        List<NewRun> runs = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            ObjectNode spec = ((ObjectNode) list.get(i)).deepCopy();
            ObjectNode label = null;
            if (list.size() > 1 && !differing.isEmpty()) {
                label = JsonNodeFactory.instance.objectNode();
                for (String field : differing) {
                    JsonNode value = flat.get(i).get(field);
                    label.set(field, value == null ? JsonNodeFactory.instance.nullNode() : value);
                }
                if (!spec.path("name").isTextual() || spec.path("name").asText().isBlank()) {
                    spec.put("name", name(label));
                }
            }
            runs.add(new NewRun(spec, at + "[" + i + "]", label));
        }
        return runs;
    }

    /** {@code learningRate=0.03}, {@code seed=2, dataset.noise=0.2}: at most 200 characters, as a name may be. */
    static String name(ObjectNode label) {
        StringBuilder name = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = label.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!name.isEmpty()) {
                name.append(", ");
            }
            JsonNode value = field.getValue();
            name.append(field.getKey()).append('=').append(value.isTextual() ? value.asText() : value.toString());
        }
        return name.length() <= 200 ? name.toString() : name.substring(0, 199) + "…";
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> into) {
        if (node.isObject() && node.size() > 0 && !prefix.equals("initialParameters.")
                && !prefix.equals("data.")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                flatten(prefix + field.getKey() + ".", field.getValue(), into);
            }
        } else if (!prefix.isEmpty()) {
            into.put(prefix.substring(0, prefix.length() - 1), node);
        }
    }

    /** The fields, in first-seen order, that are absent from some specs or not equal in all. */
    private static List<String> differing(List<Map<String, JsonNode>> specs) {
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (Map<String, JsonNode> spec : specs) {
            for (String field : spec.keySet()) {
                seen.putIfAbsent(field, Boolean.FALSE);
            }
        }
        List<String> differing = new ArrayList<>();
        for (String field : seen.keySet()) {
            JsonNode first = specs.get(0).get(field);
            for (Map<String, JsonNode> spec : specs) {
                JsonNode value = spec.get(field);
                if (value == null || !value.equals(first)) {
                    differing.add(field);
                    break;
                }
            }
        }
        return differing;
    }
}
