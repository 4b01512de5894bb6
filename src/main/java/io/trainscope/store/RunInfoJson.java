package io.trainscope.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.trainscope.run.RunStatus;

import java.io.IOException;

/**
 * How {@code run.json} is read and written: {@link RunInfo} as Jackson maps a record, a status as the contract
 * names it ({@code "finished"}), unknown fields ignored so that a server may add its own.
 */
final class RunInfoJson {

    private RunInfoJson() {
    }

    static ObjectMapper mapper() {
        SimpleModule status = new SimpleModule()
                .addSerializer(RunStatus.class, new StdSerializer<>(RunStatus.class) {
                    @Override
                    public void serialize(RunStatus value, JsonGenerator out, SerializerProvider provider) throws IOException {
                        out.writeString(value.wire());
                    }
                })
                .addDeserializer(RunStatus.class, new StdDeserializer<>(RunStatus.class) {
                    @Override
                    public RunStatus deserialize(JsonParser in, DeserializationContext context) throws IOException {
                        try {
                            return RunStatus.parse(in.getValueAsString());
                        } catch (IllegalArgumentException e) {
                            throw InvalidFormatException.from(in, e.getMessage(), in.getValueAsString(), RunStatus.class);
                        }
                    }
                });
        return new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(SerializationFeature.INDENT_OUTPUT, true)
                .registerModule(status);
    }
}
