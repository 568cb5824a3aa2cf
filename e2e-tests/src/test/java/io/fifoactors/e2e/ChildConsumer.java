package io.fifoactors.e2e;

import io.fifoactors.core.runtime.Outcome;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link ConsumerMain} in a child JVM on this JVM's class path; its outcome lines feed an OutcomeRecorder. */
final class ChildConsumer implements AutoCloseable {
    private final Process process;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final AtomicLong decisions = new AtomicLong();
    private final List<String> otherLines = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    private ChildConsumer(Process process, OutcomeRecorder outcomes) {
        this.process = process;
        this.reader = new Thread(() -> read(outcomes), "child-" + process.pid() + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    static ChildConsumer start(OutcomeRecorder outcomes, String... args) throws IOException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), ConsumerMain.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new ChildConsumer(p, outcomes);
    }

    private void read(OutcomeRecorder outcomes) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(ConsumerMain.OUTCOME + "\t")) {
                    String[] f = line.split("\t", -1);
                    Outcome o = new Outcome(f[1], f[2], Outcome.Kind.valueOf(f[3]), f[5], Integer.parseInt(f[4]));
                    outcomes.onOutcome(o);
                    if (o.kind() == Outcome.Kind.APPLIED || o.kind() == Outcome.Kind.REJECTED) {
                        decisions.incrementAndGet();
                    }
                } else if (line.equals(ConsumerMain.READY)) {
                    ready.countDown();
                } else {
                    otherLines.add(line);
                }
            }
        } catch (IOException e) {
            // the child died: what it printed so far is what counts
        }
    }

    void awaitReady(Duration timeout) throws InterruptedException {
        if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child consumer not ready in time; alive=" + process.isAlive() + ", output: "
                    + output());
        }
    }

    /** Messages this child reported applied or rejected. */
    long decisions() {
        return decisions.get();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    String output() {
        synchronized (otherLines) {
            return String.join("\n", otherLines);
        }
    }

    /** SIGKILL (destroyForcibly on Linux): no shutdown hook, no graceful stop, nothing flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        reader.join(5000);
    }

    /** Closes the child's standard input (it stops gracefully) and waits; returns the exit code. */
    int stopGracefully(Duration timeout) throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child consumer did not exit after its input closed; output: " + output());
        }
        reader.join(5000);
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
