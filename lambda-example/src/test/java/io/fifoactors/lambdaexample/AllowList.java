package io.fifoactors.lambdaexample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Findings of a template checker that are accepted on purpose, each with its reason, read from a text file beside
 * the template. A line is {@code KEY1 KEY2 ... KEYn reason...} (n fixed per file, whitespace between keys, the
 * reason is the rest and must not be empty); {@code *} as a key matches anything; {@code #} starts a comment line.
 * An entry that matched no finding is stale, so that the list never hides more than it says.
 */
final class AllowList {
    record Entry(List<String> key, String reason, int line) {
        boolean matches(List<String> finding) {
            for (int i = 0; i < key.size(); i++) {
                if (!key.get(i).equals("*") && !key.get(i).equals(finding.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    private final Path file;
    private final List<Entry> entries;
    private final boolean[] used;

    private AllowList(Path file, List<Entry> entries) {
        this.file = file;
        this.entries = entries;
        this.used = new boolean[entries.size()];
    }

    static AllowList read(Path file, int keys) {
        try {
            return parse(file, Files.readAllLines(file), keys);
        } catch (IOException e) {
            throw new UncheckedIOException("the allow-list " + file + " cannot be read", e);
        }
    }

    static AllowList parse(Path file, List<String> lines, int keys) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", keys + 1);
            if (parts.length <= keys || parts[keys].isBlank()) {
                throw new AssertionError(file + ":" + (i + 1) + ": an entry needs " + keys
                        + " keys and a written reason: " + line);
            }
            entries.add(new Entry(List.of(Arrays.copyOf(parts, keys)), parts[keys].strip(), i + 1));
        }
        return new AllowList(file, entries);
    }

    /** True if an entry accepts the finding (and marks that entry as used). */
    boolean allows(List<String> finding) {
        boolean allowed = false;
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).matches(finding)) {
                used[i] = true;
                allowed = true;
            }
        }
        return allowed;
    }

    /** The entries no finding matched, as "file:line: entry" texts. */
    List<String> stale() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (!used[i]) {
                out.add(file + ":" + entries.get(i).line() + ": " + entries.get(i).key());
            }
        }
        return out;
    }

    List<Entry> entries() {
        return entries;
    }
}
