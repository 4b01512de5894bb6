package io.trainscope.server;

import io.trainscope.spec.SpecLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a storage failure says to a remote user: what went wrong, never where the data directory is. */
class DiskStorageTest {

    @TempDir
    Path data;

    @Test
    void failuresNameTheDataDirectoryByItsOption() throws Exception {
        DiskStorage storage = DiskStorage.open(data, SpecLimits.DEFAULT, false);
        try {
            Path spec = data.toAbsolutePath().resolve("runs/r1/spec.json");
            assertEquals("permission denied: --data-dir/runs/r1/spec.json", storage.describe(new AccessDeniedException(spec.toString())));
            assertEquals("No space left on device: --data-dir/runs/r1/spec.json",
                    storage.describe(new UncheckedIOException(new FileSystemException(spec.toString(), null, "No space left on device"))));
            assertEquals("cannot read --data-dir/runs", storage.describe(new java.io.IOException("cannot read " + data.toAbsolutePath() + "/runs")));
        } finally {
            storage.close();
        }
    }
}
