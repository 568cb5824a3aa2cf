package io.fifoactors.e2e;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.runtime.Outcome;

import io.fifoactors.examples.demo.OutcomeLog;
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

/** A {@link ConsumerMain} in a child JVM on this JVM's class path; its outcome lines feed an {@link OutcomeLog}. */
final class ChildConsumer implements AutoCloseable {
    private final Process process;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final AtomicLong decisions = new AtomicLong();
    private final List<String> otherLines = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    private ChildConsumer(Process process, OutcomeLog log) {
        this.process = process;
        this.reader = new Thread(() -> read(log), "child-" + process.pid() + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    static ChildConsumer start(OutcomeLog log, String... args) throws IOException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), ConsumerMain.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new ChildConsumer(p, log);
    }

    private void read(OutcomeLog log) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(ConsumerMain.OUTCOME + "\t")) {
                    String[] f = line.split("\t", -1);
                    Outcome o = new Outcome(f[1].equals("-") ? null : ActorId.fromGroupId(f[1]), f[2],
                            Outcome.Kind.valueOf(f[3]), f[4]);
                    log.onOutcome(o);
                    if (OutcomeLog.isDecision(o)) {
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

    /** SIGKILL (on Linux, destroyForcibly sends SIGKILL): no shutdown hook, no graceful stop, nothing flushed. */
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
