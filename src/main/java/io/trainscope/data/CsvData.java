package io.trainscope.data;

import io.trainscope.nn.Dataset;
import io.trainscope.spec.SpecException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Examples from a CSV file: comma-separated numeric columns, the last one the 0/1 label, one example per
 * line. The first line is a header, and skipped, when none of its cells is a number. Blank lines are skipped.
 * A bad file is refused with {@code file.csv:LINE:COL: problem}, LINE and COL counting from 1 and COL
 * pointing at the first character of the bad cell.
 */
public final class CsvData {

    /** A plain decimal number; {@link Double#parseDouble} alone would also take "NaN", "1d" or hex. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private CsvData() {
    }

    /**
     * Reads {@code path}, refusing more than {@code maxRows} examples or {@code maxValues} numbers in all.
     *
     * @throws SpecException naming the file, line and column that are wrong, or the file if it cannot be read
     */
    public static Dataset read(Path path, int maxRows, long maxValues) throws SpecException {
        String file = path.toString();
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return read(in, file, maxRows, maxValues);
        } catch (NoSuchFileException e) {
            throw new SpecException(file, "no such file");
        } catch (CharacterCodingException e) {
            throw new SpecException(file, "not a UTF-8 text file");
        } catch (IOException e) {
            throw new SpecException(file, "cannot read: " + e.getMessage());
        }
    }

    static Dataset read(BufferedReader in, String file, int maxRows, long maxValues) throws IOException, SpecException {
        List<double[]> rows = new ArrayList<>();
        int columns = -1;
        int lineNumber = 0;
        long values = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            List<Cell> cells = split(line);
            if (columns < 0 && rows.isEmpty() && isHeader(cells)) {
                columns = cells.size();
                continue;
            }
            if (columns < 0) {
                columns = cells.size();
            }
            if (columns < 2) {
                throw new SpecException(where(file, lineNumber, 1),
                        "needs at least two columns (features, then the 0/1 label), got " + columns);
            }
            if (cells.size() != columns) {
                // Point at the first extra cell, or just past the end of a short line.
                int column = cells.size() > columns ? cells.get(columns).column : line.length() + 1;
                throw new SpecException(where(file, lineNumber, column),
                        "expected " + columns + " columns, got " + cells.size());
            }
            if (rows.size() >= maxRows) {
                throw new SpecException(where(file, lineNumber, 1), "more than " + maxRows + " examples (the limit)");
            }
            values += columns;
            if (values > maxValues) {
                throw new SpecException(where(file, lineNumber, 1), "more than " + maxValues + " values (the limit)");
            }
            rows.add(parseRow(cells, file, lineNumber));
        }
        if (rows.isEmpty()) {
            throw new SpecException(where(file, Math.max(lineNumber, 1), 1),
                    lineNumber == 0 ? "empty file, no examples" : "no examples, only a header or blank lines");
        }
        return toDataset(rows, columns - 1);
    }

    private static double[] parseRow(List<Cell> cells, String file, int lineNumber) throws SpecException {
        double[] row = new double[cells.size()];
        for (int c = 0; c < row.length; c++) {
            Cell cell = cells.get(c);
            if (!NUMBER.matcher(cell.text).matches()) {
                throw new SpecException(where(file, lineNumber, cell.column), "column " + (c + 1)
                        + " is not a number: \"" + shorten(cell.text) + "\"");
            }
            row[c] = Double.parseDouble(cell.text);
            if (!Double.isFinite(row[c])) {
                throw new SpecException(where(file, lineNumber, cell.column), "column " + (c + 1)
                        + " is too large: " + shorten(cell.text));
            }
        }
        double label = row[row.length - 1];
        if (label != 0 && label != 1) {
            throw new SpecException(where(file, lineNumber, cells.get(row.length - 1).column),
                    "the label (last column) must be 0 or 1, got " + shorten(cells.get(row.length - 1).text));
        }
        return row;
    }

    /** Rows of {@code features + 1} values into the seed's layout: one column per example. */
    private static Dataset toDataset(List<double[]> rows, int features) {
        int m = rows.size();
        double[] x = new double[features * m];
        double[] y = new double[m];
        for (int j = 0; j < m; j++) {
            double[] row = rows.get(j);
            for (int f = 0; f < features; f++) {
                x[f * m + j] = row[f];
            }
            y[j] = row[features];
        }
        return new Dataset(features, m, x, y);
    }

    private static boolean isHeader(List<Cell> cells) {
        for (Cell cell : cells) {
            if (NUMBER.matcher(cell.text).matches()) {
                return false;
            }
        }
        return true;
    }

    /** Cells split at commas, trimmed, a pair of surrounding double quotes removed; columns count from 1. */
    private static List<Cell> split(String line) {
        List<Cell> cells = new ArrayList<>();
        int start = 0;
        while (true) {
            int comma = line.indexOf(',', start);
            int end = comma < 0 ? line.length() : comma;
            int from = start;
            while (from < end && Character.isWhitespace(line.charAt(from))) {
                from++;
            }
            String text = line.substring(from, end).strip();
            if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
                text = text.substring(1, text.length() - 1).strip();
            }
            cells.add(new Cell(text, from + 1));
            if (comma < 0) {
                return cells;
            }
            start = comma + 1;
        }
    }

    private static String where(String file, int line, int column) {
        return file + ":" + line + ":" + column;
    }

    private static String shorten(String text) {
        return text.length() <= 20 ? text : text.substring(0, 19) + "…";
    }

    private record Cell(String text, int column) {
    }
}
