package io.fifoactors.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Writes a command's result as a table (aligned columns, for people) or as JSON (a stable document). */
final class Output {
    /** Documents are LinkedHashMaps and Lists built by the commands: their keys keep the order they were put in. */
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final PrintWriter out;
    private final RootCommand.Format format;

    Output(PrintWriter out, RootCommand.Format format) {
        this.out = out;
        this.format = format;
    }

    boolean json() {
        return format == RootCommand.Format.json;
    }

    PrintWriter out() {
        return out;
    }

    void json(Object document) {
        try {
            out.println(JSON.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new CliFailure("could not write JSON: " + e.getOriginalMessage());
        }
        out.flush();
    }

    /** Key-value lines: keys padded to one column. */
    void pairs(List<String[]> rows) {
        int width = 0;
        for (String[] r : rows) {
            width = Math.max(width, r[0].length());
        }
        for (String[] r : rows) {
            String[] lines = r[1].split("\n", -1);
            out.println(pad(r[0], width) + "  " + lines[0]);
            for (int i = 1; i < lines.length; i++) {
                out.println(" ".repeat(width + 2) + lines[i]);
            }
        }
        out.flush();
    }

    /** A table with a header; the last column is not padded. */
    void table(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> r : all) {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        }
        for (List<String> r : all) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                b.append(i == r.size() - 1 ? r.get(i) : pad(r.get(i), widths[i]) + "  ");
            }
            out.println(b.toString().stripTrailing());
        }
        out.flush();
    }

    void line(String s) {
        out.println(s);
        out.flush();
    }

    static JsonNode parseJson(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
