package io.trainscope.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The folder the page's files are served from, by absolute path, never resolved against the working directory:
 * Vert.x's {@code StaticHandler.create("webroot")} looks in the working directory first, so a server started
 * from a folder holding a {@code webroot/} served that folder, symbolic links and all ({@code GET /leak.txt}
 * answered with {@code /etc/passwd}). The page comes from the jar: unpacked, on start-up, into a temporary folder
 * of this process that {@link #close} removes (a server killed with SIGKILL leaves one behind, which the next
 * start removes), or used in place when the classes are a folder (tests, {@code mvn exec}). With {@code --webroot
 * DIR} the page is copied from DIR instead, regular files only: no link is followed out of it.
 */
final class Page implements AutoCloseable {

    static final String RESOURCE = "webroot";
    private static final String PREFIX = "trainscope-page-";

    private final Path folder;
    private final boolean temporary;

    private Page(Path folder, boolean temporary) {
        this.folder = folder;
        this.temporary = temporary;
    }

    /** Blocking (file copies): on a worker. {@code given} is {@code --webroot}, or null for the page in the jar. */
    static Page open(Path given) throws IOException {
        removeLeftovers();
        if (given != null) {
            Path source = given.toRealPath();
            if (!Files.isRegularFile(source.resolve("index.html"))) {
                throw new IOException("--webroot " + given + " has no index.html");
            }
            return copy(source);
        }
        URL index = Page.class.getClassLoader().getResource(RESOURCE + "/index.html");
        if (index == null) {
            throw new IOException("the page (webroot/) is missing from the classpath; build with mvn package");
        }
        URI uri = toUri(index);
        if (uri.getScheme().equals("file")) {
            return new Page(Path.of(uri).getParent().toRealPath(), false);
        }
        // jar:file:/…/trainscope.jar!/webroot/index.html; a file system of its own, so that servers never share one.
        Path jarFile = Path.of(toUri(new URL(uri.getSchemeSpecificPart().split("!/")[0])));
        try (FileSystem jar = FileSystems.newFileSystem(jarFile)) {
            return copy(jar.getPath("/" + RESOURCE));
        }
    }

    /** The folder, absolute, that StaticHandler serves with {@code FileSystemAccess.ROOT}. */
    Path folder() {
        return folder;
    }

    private static Page copy(Path source) throws IOException {
        Path target = Files.createTempDirectory(PREFIX + ProcessHandle.current().pid() + "-");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                // Regular files and folders only, and never through a link: nothing outside the page is served.
                if (Files.isSymbolicLink(file)) {
                    continue;
                }
                Path to = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(to);
                } else if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException | RuntimeException e) {
            remove(target);
            throw e;
        }
        return new Page(target, true);
    }

    /** Page folders of processes that are gone (killed before they could remove their own). */
    private static void removeLeftovers() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> entries = Files.list(tmp)) {
            entries.filter(p -> p.getFileName().toString().startsWith(PREFIX)).forEach(p -> {
                String pid = p.getFileName().toString().substring(PREFIX.length()).split("-")[0];
                try {
                    if (ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                        remove(p);
                    }
                } catch (NumberFormatException | IOException e) {
                    // Not ours, or not removable: left alone.
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // The temporary folder cannot be listed: nothing to clean.
        }
    }

    private static URI toUri(URL url) throws IOException {
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new IOException("the page's location " + url + " is not a valid URI", e);
        }
    }

    private static void remove(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Removes the folder if this process made it. */
    @Override
    public void close() throws IOException {
        if (temporary) {
            remove(folder);
        }
    }
}
