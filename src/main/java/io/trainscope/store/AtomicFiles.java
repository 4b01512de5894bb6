package io.trainscope.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * How the store writes a whole file: to {@code NAME.tmp}, forced to the device when a crash must not lose it,
 * then renamed over {@code NAME}, so that a reader or a crash sees the old file or the new one, never half of one.
 * With {@code privateFiles} (a {@code --private} server) files are made readable by their owner only (600) and
 * folders usable by their owner only (700).
 */
public final class AtomicFiles {

    /** Writes a file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        void write(OutputStream out) throws IOException;
    }

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private AtomicFiles() {
    }

    /** {@code content} into {@code file}, atomically; forced to the device first when {@code force}. */
    public static void write(Path file, Content content, boolean force, boolean privateFiles) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), fileAttributes(tmp, privateFiles))) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            // A writer that closes what it writes to (Jackson's generators do) must not close the channel before
            // it is forced: closing this stream only flushes it.
            content.write(new java.io.FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    out.flush();
                }
            });
            out.flush();
            if (force) {
                channel.force(true);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A new folder, owner-only when {@code privateFiles}. */
    static void createDirectory(Path dir, boolean privateFiles) throws IOException {
        Files.createDirectory(dir, dirAttributes(dir, privateFiles));
    }

    /** The folder and its parents; an existing one is made owner-only when {@code privateFiles}. */
    static void createDirectories(Path dir, boolean privateFiles) throws IOException {
        Files.createDirectories(dir);
        if (privateFiles && posix(dir)) {
            Files.setPosixFilePermissions(dir, OWNER_DIR);
        }
    }

    /** Attributes for a new file of the store (owner-only when {@code privateFiles}). */
    static FileAttribute<?>[] fileAttributes(Path file, boolean privateFiles) {
        return privateFiles && posix(file) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
                : new FileAttribute<?>[0];
    }

    private static FileAttribute<?>[] dirAttributes(Path dir, boolean privateFiles) {
        return privateFiles && posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_DIR)}
                : new FileAttribute<?>[0];
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
