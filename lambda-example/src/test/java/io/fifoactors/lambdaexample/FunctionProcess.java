package io.fifoactors.lambdaexample;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The packaged function running as Lambda runs it: the deployable jar unzipped into a task root (the working
 * directory), the official runtime interface client alone on the classpath of a child JVM started with Lambda's
 * JVM flags, and {@code AWS_LAMBDA_RUNTIME_API} pointing at the test's {@link RuntimeApiServer}.
 */
final class FunctionProcess implements AutoCloseable {
    static final String HANDLER = "io.fifoactors.lambda.SqsActorHandler::handleRequest";
    static final String TIMER_HANDLER = "io.fifoactors.lambda.SqsTimerHandler::handleRequest";
    private static final String MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    final Process process;
    final long startedNanos;
    final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    final List<String> stderr = Collections.synchronizedList(new ArrayList<>());

    private final List<Thread> drains;

    private FunctionProcess(Process process, long startedNanos) {
        this.process = process;
        this.startedNanos = startedNanos;
        drains = List.of(drain(process.getInputStream(), stdout, "function-stdout"),
                drain(process.getErrorStream(), stderr, "function-stderr"));
    }

    static Path functionJar() {
        Path jar = Paths.get(System.getProperty("fifoactors.functionJar", "target/fifo-actors-ledger-function.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the deployable jar " + jar + " is missing: run mvn package first");
        }
        return jar;
    }

    static Path workDir() {
        Path dir = Paths.get(System.getProperty("fifoactors.workDir", "target/it"));
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh task root holding the deployable jar's contents. */
    static Path taskRoot(String name) {
        Path root = workDir().resolve(name);
        deleteTree(root);
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(functionJar()))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                Path target = root.resolve(e.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IllegalStateException("zip entry outside the task root: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    /** Copies compiled test classes (a test wiring) into a task root, as if they were part of the function. */
    static void addTestClasses(Path taskRoot, Class<?>... classes) {
        for (Class<?> c : classes) {
            String prefix = c.getName().replace('.', '/');
            Path dir = Paths.get(c.getProtectionDomain().getCodeSource().getLocation().getPath());
            Path pkg = dir.resolve(prefix).getParent();
            String simple = prefix.substring(prefix.lastIndexOf('/') + 1);
            try (Stream<Path> files = Files.list(pkg)) {
                for (Path f : files.filter(p -> p.getFileName().toString().startsWith(simple))
                        .collect(Collectors.toList())) {
                    Path target = taskRoot.resolve(dir.relativize(f).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static FunctionProcess start(Path taskRoot, RuntimeApiServer api, Map<String, String> functionEnv) {
        return start(taskRoot, api, functionEnv, HANDLER);
    }

    /** The function with this handler (the actor handler or the timer handler). */
    static FunctionProcess start(Path taskRoot, RuntimeApiServer api, Map<String, String> functionEnv,
                                 String handler) {
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                // the flags of Lambda's java runtime that change start-up time
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-Xmx384m", "-Djava.net.preferIPv4Stack=true",
                "-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=" + nativeLibrary(),
                "-cp", runtimeClientClasspath(), MAIN, handler));
        ProcessBuilder pb = new ProcessBuilder(command).directory(taskRoot.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("FA_") || k.startsWith("_LAMBDA")
                || k.equals("JAVA_TOOL_OPTIONS"));
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("AWS_LAMBDA_FUNCTION_NAME", "ledger-test");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/ledger-test");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.putAll(functionEnv);
        long started = System.nanoTime();
        try {
            return new FunctionProcess(pb.start(), started);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the runtime interface client", e);
        }
    }

    /** The function's JSON output lines (logs and EMF), parsed; other lines are skipped. */
    List<JsonNode> jsonLines() {
        List<JsonNode> out = new ArrayList<>();
        synchronized (stdout) {
            for (String line : stdout) {
                if (line.startsWith("{")) {
                    try {
                        out.add(EsmEvents.JSON.readTree(line));
                    } catch (IOException ignored) {
                        // not ours
                    }
                }
            }
        }
        return out;
    }

    /** Waits for the process to exit and returns its exit code. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the function process did not exit within " + timeout + "; stderr: "
                        + stderr);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Stops the process and waits until everything it wrote has been read: then the output is complete. */
    void stopAndReadAll(Duration timeout) {
        close();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Thread t : drains) {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (t.isAlive()) {
                    throw new AssertionError(t.getName() + " was not closed within " + timeout);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    String output() {
        return "stdout:\n" + String.join("\n", stdout) + "\nstderr:\n" + String.join("\n", stderr);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String runtimeClientClasspath() {
        Path file = Paths.get(System.getProperty("fifoactors.runtimeClientClasspath",
                "target/runtime-client.classpath"));
        try {
            String cp = Files.readString(file).trim();
            if (!cp.contains("aws-lambda-java-runtime-interface-client")) {
                throw new IllegalStateException(file + " does not list the runtime interface client: " + cp);
            }
            return cp;
        } catch (IOException e) {
            throw new UncheckedIOException("the runtime client classpath file " + file + " is missing", e);
        }
    }

    /** The client's JNI library, extracted once into the work directory (not the shared default under /tmp). */
    private static synchronized String nativeLibrary() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String name = "libaws-lambda-jni.linux-" + (arch.contains("aarch64") || arch.contains("arm64")
                ? "aarch_64" : "x86_64") + ".so";
        Path target = workDir().resolve(name);
        if (Files.isRegularFile(target)) {
            return target.toString();
        }
        String jar = List.of(runtimeClientClasspath().split(java.io.File.pathSeparator)).stream()
                .filter(p -> p.contains("aws-lambda-java-runtime-interface-client")).findFirst().orElseThrow();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(Paths.get(jar)))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getName().equals("jni/" + name)) {
                    Path tmp = workDir().resolve(name + ".tmp");
                    Files.copy(zip, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    return target.toString();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("jni/" + name + " is not in " + jar);
    }

    private static Thread drain(InputStream in, List<String> sink, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    sink.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
