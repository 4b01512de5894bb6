package io.trainscope.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;

/**
 * The one JSON reader for everything a user or a client sends: specs, REST bodies, WebSocket messages. Strict,
 * because a lenient reader silently drops what a user meant: a duplicate key ({@code "learningRate": 0.1,
 * "learningRate": 100} would train at 100) or trailing content is refused, not resolved by a rule nobody reads.
 * Jackson's own bounds apply as well (nesting deeper than 1000, numbers longer than 1000 digits).
 */
public final class StrictJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {
    }

    /** The JSON text as a tree; {@link MissingNode} when it is empty or only whitespace. */
    public static JsonNode read(String json) throws JsonProcessingException {
        JsonNode node = MAPPER.readTree(json);
        return node == null ? MissingNode.getInstance() : node;
    }

    /** UTF-8 JSON bytes as a tree; {@link MissingNode} when empty. */
    public static JsonNode read(byte[] json) throws IOException {
        JsonNode node = MAPPER.readTree(json);
        return node == null ? MissingNode.getInstance() : node;
    }

    /** " at line L, column C: problem", for a message that says where the text is malformed. */
    public static String where(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String place = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return place + ": " + e.getOriginalMessage().lines().findFirst().orElse("");
    }
}
