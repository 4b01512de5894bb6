package io.trainscope.server.training;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainscope.nn.Dataset;
import io.trainscope.nn.Plane;
import io.trainscope.server.bus.BoundarySnapshot;
import io.trainscope.server.bus.DataSnapshot;
import io.trainscope.server.bus.HistogramsSnapshot;
import io.trainscope.server.bus.KeptViews;
import io.trainscope.server.bus.NetworkSnapshot;
import io.trainscope.store.RunStore;
import io.trainscope.wire.SnapshotJson;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's kept views in its folder (docs/storage.md): {@code histograms.jsonl}, one kept histogram snapshot a line
 * ({@code {"iteration": i, "stride": s, "layers": [...]}}), appended as they are kept and written again whole when
 * the keeper thins them; {@code views.json}, its data, boundary and network as it ended. Read back only when a
 * viewer subscribes, on a worker. A line cut short by a crash is skipped.
 */
final class KeptViewFiles {

    static final String HISTOGRAMS = "histograms.jsonl";
    static final String VIEWS = "views.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();

    private final RunStore store;

    KeptViewFiles(RunStore store) {
        this.store = store;
    }

    void histograms(String id, List<HistogramsSnapshot> added, KeptViews.Histograms all, boolean thinned)
            throws IOException {
        Path file = store.folder(id).resolve(HISTOGRAMS);
        if (thinned || !Files.exists(file)) {
            // Made as the store makes its files (atomically, owner-only under --private); appended to after.
            store.writeFile(id, HISTOGRAMS, out -> writeLines(out, all.snapshots()));
            return;
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
            writeLines(out, added);
        }
    }

    private static void writeLines(OutputStream out, List<HistogramsSnapshot> snapshots) throws IOException {
        for (HistogramsSnapshot snapshot : snapshots) {
            try (JsonGenerator json = JSON.createGenerator(out)) {
                json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                json.writeStartObject();
                json.writeNumberField("stride", snapshot.stride());
                SnapshotJson.writeHistograms(json, snapshot.iteration(), snapshot.layers());
                json.writeEndObject();
            }
            out.write('\n');
        }
    }

    void lastViews(String id, DataSnapshot data, BoundarySnapshot boundary, NetworkSnapshot network)
            throws IOException {
        store.writeFile(id, VIEWS, out -> {
            try (JsonGenerator json = JSON.createGenerator(out)) {
                json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                json.writeStartObject();
                if (data != null) {
                    json.writeObjectFieldStart("data");
                    SnapshotJson.writeData(json, data.plane(), data.train(), data.trainTotal(), data.validation(),
                            data.validationTotal());
                    json.writeEndObject();
                }
                if (boundary != null) {
                    json.writeObjectFieldStart("boundary");
                    SnapshotJson.writeBoundary(json, boundary.iteration(), boundary.plane(), boundary.side(),
                            boundary.values());
                    json.writeEndObject();
                }
                if (network != null) {
                    json.writeObjectFieldStart("network");
                    SnapshotJson.writeNetwork(json, network.iteration(), network.wiring());
                    json.writeEndObject();
                }
                json.writeEndObject();
            }
        });
    }

    /** The run's kept views, each read from its folder when asked. */
    KeptViews kept(String id) {
        return new KeptViews() {
            @Override
            public Histograms histograms() {
                return readHistograms(id);
            }

            @Override
            public BoundarySnapshot boundary() {
                JsonNode node = views(id).path("boundary");
                if (!node.isObject()) {
                    return null;
                }
                return new BoundarySnapshot(id, node.path("iteration").asLong(), SnapshotJson.readPlane(node),
                        node.path("size").path(0).asInt(), SnapshotJson.readValues(node));
            }

            @Override
            public NetworkSnapshot network() {
                JsonNode node = views(id).path("network");
                return node.isObject()
                        ? new NetworkSnapshot(id, node.path("iteration").asLong(), SnapshotJson.readNetwork(node)) : null;
            }

            @Override
            public DataSnapshot data() {
                JsonNode node = views(id).path("data");
                if (!node.isObject()) {
                    return null;
                }
                Plane plane = SnapshotJson.readPlane(node);
                Dataset train = SnapshotJson.readExamples(node.path("train"));
                Dataset validation = SnapshotJson.readExamples(node.path("validation"));
                return new DataSnapshot(id, plane, train, node.path("train").path("total").asInt(),
                        validation, node.path("validation").path("total").asInt(0));
            }
        };
    }

    private KeptViews.Histograms readHistograms(String id) {
        List<HistogramsSnapshot> snapshots = new ArrayList<>();
        long stride = 1;
        try (BufferedReader lines = Files.newBufferedReader(store.folder(id).resolve(HISTOGRAMS),
                StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode node;
                try {
                    node = MAPPER.readTree(line);
                } catch (IOException cut) {
                    continue;
                }
                if (node == null || !node.isObject()) {
                    continue;
                }
                stride = node.path("stride").asLong(stride);
                snapshots.add(new HistogramsSnapshot(id, node.path("iteration").asLong(),
                        SnapshotJson.readHistograms(node), true, stride));
            }
        } catch (NoSuchFileException | IllegalArgumentException none) {
            return KeptViews.Histograms.NONE;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the histograms of run " + id + " cannot be read: "
                    + e.getMessage(), e);
        }
        return new KeptViews.Histograms(stride, snapshots);
    }

    private JsonNode views(String id) {
        try {
            return MAPPER.readTree(store.folder(id).resolve(VIEWS).toFile());
        } catch (IOException | IllegalArgumentException e) {
            return MAPPER.createObjectNode();
        }
    }
}
