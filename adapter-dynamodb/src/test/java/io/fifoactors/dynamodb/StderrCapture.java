package io.fifoactors.dynamodb;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Captures what a piece of code writes to System.err, where slf4j-simple logs (it looks the stream up at each write).
 * Not thread-safe: replaces the JVM's System.err for the duration.
 */
final class StderrCapture {
    /** What a call returned and what it wrote to System.err. */
    record Captured<T>(T value, String stderr) {
    }

    private StderrCapture() {
    }

    static <T> Captured<T> capture(Supplier<T> body) {
        PrintStream old = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        T value;
        try {
            value = body.get();
        } finally {
            System.setErr(old);
        }
        return new Captured<>(value, bytes.toString(StandardCharsets.UTF_8));
    }
}
