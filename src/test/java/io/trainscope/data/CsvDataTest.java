package io.trainscope.data;

import io.trainscope.nn.Dataset;
import io.trainscope.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvDataTest {

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        return Files.writeString(dir.resolve("points.csv"), content);
    }

    private Dataset read(String content) throws Exception {
        return CsvData.read(file(content), 1000, 100_000);
    }

    @Test
    void readsColumnsIntoTheSeedsLayout() throws Exception {
        Dataset d = read("1,2,0\n3,4,1\n5.5,-6e-1,1\n");
        assertEquals(2, d.features());
        assertEquals(3, d.samples());
        assertArrayEquals(new double[] {1, 3, 5.5, 2, 4, -0.6}, d.x());
        assertArrayEquals(new double[] {0, 1, 1}, d.y());
    }

    @Test
    void skipsAHeaderBlankLinesAndSpaces() throws Exception {
        Dataset d = read("\"x\", \"y\" ,label\r\n\n 1 , 2 , 0\r\n3,4,1.0\n\n");
        assertEquals(2, d.samples());
        assertArrayEquals(new double[] {1, 3, 2, 4}, d.x());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "non-numeric cell     | 1,2,0\\n3,abc,1\\n     | points.csv:2:3: column 2 is not a number: \"abc\"",
            "NaN is no number     | 1,NaN,0\\n           | points.csv:1:3: column 2 is not a number: \"NaN\"",
            "empty cell           | x,y,label\\n1,,0\\n   | points.csv:2:3: column 2 is not a number: \"\"",
            "too few columns      | 1,2,0\\n3,4\\n        | points.csv:2:4: expected 3 columns, got 2",
            "too many columns     | 1,2,0\\n3,4,1,7\\n    | points.csv:2:7: expected 3 columns, got 4",
            "label not 0/1        | 1,2,0\\n3,4,2\\n      | points.csv:2:5: the label (last column) must be 0 or 1, got 2",
            "label fraction       | 1,2,0.5\\n            | points.csv:1:5: the label (last column) must be 0 or 1, got 0.5",
            "one column           | 1\\n0\\n              | points.csv:1:1: needs at least two columns",
            "only a header        | x,y,label\\n          | points.csv:1:1: no examples, only a header",
            "overflow             | 1e999,2,0\\n          | points.csv:1:1: column 1 is too large"})
    void refusesABadFileWithLineAndColumn(String what, String content, String message) throws IOException {
        Path path = file(content.strip().replace("\\n", "\n"));
        SpecException e = assertThrows(SpecException.class, () -> CsvData.read(path, 1000, 100_000));
        String relative = e.getMessage().replace(dir + "/", "");
        assertTrue(relative.startsWith(message), what + ": " + relative);
    }

    @Test
    void refusesAnEmptyFile() throws IOException {
        Path path = file("");
        SpecException e = assertThrows(SpecException.class, () -> CsvData.read(path, 1000, 100_000));
        assertEquals(path + ":1:1: empty file, no examples", e.getMessage());
    }

    @Test
    void refusesMoreRowsThanTheLimit() throws IOException {
        Path path = file("1,0\n2,1\n3,0\n");
        SpecException e = assertThrows(SpecException.class, () -> CsvData.read(path, 2, 100_000));
        assertEquals(path + ":3:1: more than 2 examples (the limit)", e.getMessage());
        e = assertThrows(SpecException.class, () -> CsvData.read(path, 100, 5));
        assertEquals(path + ":3:1: more than 5 values (the limit)", e.getMessage());
    }

    @Test
    void namesAMissingFile() {
        Path path = dir.resolve("absent.csv");
        SpecException e = assertThrows(SpecException.class, () -> CsvData.read(path, 10, 10));
        assertEquals(path + ": no such file", e.getMessage());
    }
}
