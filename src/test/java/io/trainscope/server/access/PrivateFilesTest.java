package io.trainscope.server.access;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A --private server's runs are its owner's alone on disk too (issue 8, low items): every file 600, every folder
 * 700, so that another local user cannot read what the token keeps from the network.
 */
@ExtendWith(VertxExtension.class)
class PrivateFilesTest {

    @TempDir
    Path dir;

    @Test
    void everyFileIsTheOwnersOnly(Vertx vertx) throws Exception {
        Path data = dir.resolve("data");
        Scene scene = Scene.start(vertx, data, "private-files", SecurityConfig.DEFAULT.withPrivate(true));
        Path parameters = data.resolve("runs").resolve(scene.finished).resolve("parameters.json");
        long deadline = System.nanoTime() + Clients.WAIT.toNanos();
        while (!Files.exists(parameters)) {
            assertTrue(System.nanoTime() < deadline, "the stopped run's parameters are written");
            Thread.sleep(20);
        }
        int files = 0;
        try (Stream<Path> all = Files.walk(data)) {
            for (Path p : all.toList()) {
                String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", perms, p.toString());
                files += Files.isRegularFile(p) ? 1 : 0;
            }
        }
        assertTrue(files >= 8, "spec.json, run.json, metrics.bin and parameters.json of two runs, at least: " + files);
        scene.assertIntact();
    }
}
