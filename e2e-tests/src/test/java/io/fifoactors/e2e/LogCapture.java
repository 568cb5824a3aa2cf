package io.fifoactors.e2e;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Captures what SLF4J's simple logger writes (to {@code System.err}, looked up at each write) while it is open, and
 * passes it on: {@code System.err} is replaced by a tee for the duration. The loggers of the runtime are at INFO
 * (see {@code simplelogger.properties}), so a poller's outage start (WARN) and end (INFO) lines are here.
 */
final class LogCapture implements AutoCloseable {
    private final PrintStream original;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private LogCapture() {
        this.original = System.err;
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }

            @Override
            public void flush() {
                original.flush();
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    static LogCapture start() {
        return new LogCapture();
    }

    String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    List<String> lines() {
        return Arrays.asList(text().split("\n"));
    }

    /** The captured lines containing every one of {@code parts}. */
    List<String> linesWith(String... parts) {
        return lines().stream().filter(l -> Arrays.stream(parts).allMatch(l::contains)).toList();
    }

    /** The lines after the first containing {@code from} and before the first one after it containing {@code to}. */
    List<String> between(String from, String to) {
        List<String> all = lines();
        int start = -1;
        for (int i = 0; i < all.size(); i++) {
            if (start < 0 && all.get(i).contains(from)) {
                start = i;
            } else if (start >= 0 && all.get(i).contains(to)) {
                return all.subList(start + 1, i);
            }
        }
        return start < 0 ? List.of() : all.subList(start + 1, all.size());
    }

    /** The lines after the first one containing {@code from}. */
    List<String> after(String from) {
        List<String> all = lines();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).contains(from)) {
                return all.subList(i + 1, all.size());
            }
        }
        return List.of();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
