package io.trainscope.server.access;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.ServerMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static io.trainscope.server.access.Clients.await;
import static io.trainscope.server.access.Clients.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A data directory that fills up (issue 8, low items), on a file system in memory with a size limit: a run whose
 * points cannot be written used to stay "running" in run.json and refuse DELETE with 409 forever, and a start that
 * failed left an empty folder. Now the run fails saying why (with no absolute path), says while its record is not
 * stored yet, stores it as soon as there is room, and can be deleted.
 */
@ExtendWith(VertxExtension.class)
class FullDiskTest {

    @Test
    void aRunThatFillsTheDiskFailsSaysWhyAndCanBeDeleted(Vertx vertx) throws Exception {
        try (FileSystem disk = Jimfs.newFileSystem(Configuration.unix().toBuilder().setMaxSize(3 << 20).build())) {
            Path data = disk.getPath("/srv/trainscope");
            Files.createDirectories(data);
            Path filler = data.getParent().resolve("filler");
            Files.write(filler, new byte[1 << 20]);
            Server server = await(Server.start(vertx, ServerConfig.defaults().withPort(0).withDataDir(data),
                    SecurityConfig.DEFAULT, new ServerMetrics()));
            Clients clients = new Clients(vertx, server.port(), false);

            Clients.Reply started = clients.post("/api/runs", Map.of(), spec(100_000_000, 0));
            assertEquals(201, started.status(), started.body()::toString);
            String filled = started.json().getString("id");
            JsonObject failed = until(clients, filled, run -> run.getString("status").equals("failed"));
            String reason = failed.getString("reason");
            assertTrue(reason.contains("could not be stored"), reason);
            assertFalse(reason.contains("/srv"), "no absolute path: " + reason);

            // Room again, a paced run, then the disk is filled to the last byte: its stop cannot be stored at first.
            Files.delete(filler);
            String paced = clients.post("/api/runs", Map.of(), spec(100_000_000, 20)).json().getString("id");
            fill(data.getParent().resolve("more"));
            assertEquals(200, clients.post("/api/runs/" + paced + "/stop", Map.of(), "").status());
            JsonObject stopped = until(clients, paced, run -> run.containsKey("storageProblem"));
            assertTrue(stopped.getString("storageProblem").contains("not stored yet"), stopped::encode);
            assertEquals("stopped", stopped.getString("status"));

            Clients.Reply refused = clients.post("/api/runs", Map.of(), spec(10, 0));
            assertEquals(500, refused.status(), refused.body()::toString);
            assertTrue(refused.json().getString("error").contains("could not be stored"), refused.body()::toString);
            assertFalse(refused.body().toString().contains("/srv"), refused.body()::toString);
            assertEquals(List.of(filled, paced).stream().sorted().toList(), folders(data),
                    "a start that could not be stored leaves no folder");

            Files.delete(data.getParent().resolve("more"));
            JsonObject stored = until(clients, paced, run -> !run.containsKey("storageProblem"));
            assertNull(stored.getString("storageProblem"));
            for (String id : List.of(filled, paced)) {
                JsonObject shown = clients.get("/api/runs/" + id, Map.of()).json();
                JsonObject record = new JsonObject(Files.readString(data.resolve("runs").resolve(id).resolve("run.json")));
                assertEquals(shown.getString("status"), record.getString("status"), "run.json agrees with the API");
                assertEquals(shown.getLong("iteration"), record.getLong("iterations"));
                assertEquals(200, clients.http(io.vertx.core.http.HttpMethod.DELETE, "/api/runs/" + id, Map.of(), null)
                        .status());
            }
            assertEquals(List.of(), folders(data));
            assertEquals(201, clients.post("/api/runs", Map.of(), spec(10, 0)).status(), "room again for a new run");
        }
    }

    /** Writes {@code file} until the disk has no room left. */
    private static void fill(Path file) throws Exception {
        try (var out = Files.newOutputStream(file)) {
            byte[] block = new byte[4096];
            while (true) {
                out.write(block);
            }
        } catch (java.io.IOException full) {
            // The disk is full.
        }
    }

    private static JsonObject until(Clients clients, String id, Predicate<JsonObject> test) throws InterruptedException {
        long deadline = System.nanoTime() + Clients.WAIT.toNanos();
        while (true) {
            JsonObject run = clients.get("/api/runs/" + id, Map.of()).json();
            if (test.test(run)) {
                return run;
            }
            assertTrue(System.nanoTime() < deadline, run::encode);
            Thread.sleep(50);
        }
    }

    private static List<String> folders(Path data) throws Exception {
        try (Stream<Path> runs = Files.list(data.resolve("runs"))) {
            return runs.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }
}
