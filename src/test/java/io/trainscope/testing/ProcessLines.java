package io.trainscope.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** What a process started by a test prints, read line by line on a daemon thread of its own. */
public final class ProcessLines {

    private ProcessLines() {
    }

    /** Hands each line of {@code process}'s output to {@code line}, then runs {@code ended} (its output closed). */
    public static Thread follow(Process process, String name, Consumer<String> line, Consumer<IOException> ended) {
        Thread reader = new Thread(() -> {
            IOException failure = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String next = out.readLine(); next != null; next = out.readLine()) {
                    line.accept(next);
                }
            } catch (IOException e) {
                failure = e;
            }
            ended.accept(failure);
        }, name);
        reader.setDaemon(true);
        reader.start();
        return reader;
    }
}
