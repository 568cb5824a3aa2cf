package io.fifoactors.localaws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A local DynamoDB for tests and demos: the pinned npm package {@code dynalite@4.0.0} running in memory as a child
 * {@code node} process on {@code 127.0.0.1} at a free port.
 *
 * <pre>{@code
 * try (DynaliteServer dynamo = DynaliteServer.start();
 *      DynamoDbClient client = dynamo.newClient()) {
 *     client.listTables();
 * }
 * }</pre>
 *
 * <p>The package, its committed lock file and a small node wrapper ship as classpath resources. The first start on a
 * machine copies them to a cache directory named after their content (under {@code java.io.tmpdir}, or the
 * directory named by the system property {@value #CACHE_DIR_PROPERTY}) and runs {@code npm ci} there once, under a
 * file lock so parallel JVMs do not race; later starts reuse it. Tables are created, updated and deleted without
 * delay, so SDK waiters return at once. The wrapper exits when its standard input closes, so a test JVM that dies
 * without calling {@link #close()} leaves no server behind.
 *
 * <p>{@code node} and {@code npm} are looked up on the {@code PATH}; the system properties {@value #NODE_PROPERTY}
 * and {@value #NPM_PROPERTY} override them.
 *
 * <p>Thread-safe: {@link #start()} may be called from several threads, each call starts its own server, and
 * {@link #close()} is idempotent.
 */
public final class DynaliteServer implements AutoCloseable {
    /** System property: the directory under which the npm install is cached (default: {@code java.io.tmpdir}). */
    public static final String CACHE_DIR_PROPERTY = "fifoactors.dynalite.cacheDir";
    /** System property: the {@code node} executable to run (default: {@code node} on the PATH). */
    public static final String NODE_PROPERTY = "fifoactors.dynalite.node";
    /** System property: the {@code npm} executable to run (default: {@code npm} on the PATH). */
    public static final String NPM_PROPERTY = "fifoactors.dynalite.npm";

    private static final String RESOURCE_DIR = "dynalite/";
    private static final List<String> RESOURCES = List.of("package.json", "package-lock.json", "wrapper.js");
    private static final String PORT_PREFIX = "DYNALITE_PORT=";
    private static final String INSTALLED_MARKER = ".fifo-actors-installed";
    /** A key of the lock file's "packages" object, e.g. {@code "node_modules/dynalite": {}}. */
    private static final Pattern LOCKED_PACKAGE = Pattern.compile("\"(node_modules/[^\"]+)\"\\s*:\\s*\\{");
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration GRACEFUL_EXIT = Duration.ofSeconds(2);
    private static final Duration TERMINATE_EXIT = Duration.ofSeconds(3);
    private static final int STDERR_TAIL_LINES = 40;
    /** FileLock is per JVM, not per thread: threads of one JVM queue here before taking the file lock. */
    private static final ReentrantLock INSTALL_LOCK = new ReentrantLock();

    private final Process process;
    private final int port;
    private final URI endpoint;
    private final Object closeLock = new Object();
    private boolean closed;

    private DynaliteServer(Process process, int port) {
        this.process = process;
        this.port = port;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
    }

    /**
     * Installs dynalite if this machine has not yet, starts it and waits until it listens.
     *
     * @throws IllegalStateException if node or npm is missing, the install fails, or the server does not report its
     *                               port within 30 seconds
     */
    public static DynaliteServer start() {
        String node = executable(NODE_PROPERTY, "node");
        Path dir = installDirectory();
        Path wrapper = dir.resolve("wrapper.js");
        ProcessBuilder pb = new ProcessBuilder(node, wrapper.toString()).directory(dir.toFile());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not run node (" + node + ") to start dynalite: " + e.getMessage(),
                    e);
        }
        Deque<String> stderrTail = new ArrayDeque<>();
        CompletableFuture<Integer> portFuture = new CompletableFuture<>();
        Thread stderrDrain = drain("dynalite-stderr-" + process.pid(), process.getErrorStream(), line -> {
            synchronized (stderrTail) {
                stderrTail.addLast(line);
                while (stderrTail.size() > STDERR_TAIL_LINES) {
                    stderrTail.removeFirst();
                }
            }
        }, () -> { });
        drain("dynalite-stdout-" + process.pid(), process.getInputStream(), line -> {
            if (!portFuture.isDone() && line.startsWith(PORT_PREFIX)) {
                try {
                    portFuture.complete(Integer.parseInt(line.substring(PORT_PREFIX.length()).trim()));
                } catch (NumberFormatException e) {
                    portFuture.completeExceptionally(new IllegalStateException("printed a bad port: " + line));
                }
            }
        }, () -> portFuture.completeExceptionally(new IllegalStateException("closed its output before reporting a"
                + " port")));
        int port;
        try {
            port = portFuture.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            terminate(process);
            throw new IllegalStateException("interrupted while waiting for dynalite to start", e);
        } catch (ExecutionException | TimeoutException e) {
            terminate(process);
            joinQuietly(stderrDrain);
            String why = e instanceof TimeoutException ? "did not report its port within " + READY_TIMEOUT.toSeconds()
                    + " s" : e.getCause().getMessage();
            throw new IllegalStateException("dynalite (" + node + " " + wrapper + ") " + why + exitInfo(process)
                    + stderrText(stderrTail), e);
        }
        return new DynaliteServer(process, port);
    }

    /** The HTTP endpoint, e.g. {@code http://127.0.0.1:41234}, for {@code endpointOverride}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The TCP port the server listens on (on 127.0.0.1). */
    public int port() {
        return port;
    }

    /** The operating-system id of the node process. */
    public long pid() {
        return process.pid();
    }

    /** True until the node process exits. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * A new client for this server: URL-connection HTTP client, region us-east-1, static dummy credentials. The caller
     * closes it (before or after this server).
     */
    public DynamoDbClient newClient() {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /**
     * Stops the server: closes its standard input (the wrapper then exits), then terminates the process tree, forcibly
     * if it does not exit in time, and waits for it. Idempotent; all tables are lost.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        terminate(process);
    }

    @Override
    public String toString() {
        return "DynaliteServer[" + endpoint + ", pid " + process.pid() + (process.isAlive() ? "" : ", exited") + "]";
    }

    private static void terminate(Process process) {
        // Snapshot first: once the parent dies its children are re-parented and no longer its descendants.
        List<ProcessHandle> tree = process.descendants().collect(Collectors.toCollection(ArrayList::new));
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed: the process is going anyway
        }
        waitFor(process.toHandle(), GRACEFUL_EXIT);
        tree.addAll(process.descendants().collect(Collectors.toList()));
        tree.add(process.toHandle());
        for (ProcessHandle h : tree) {
            h.destroy();
        }
        for (ProcessHandle h : tree) {
            if (!waitFor(h, TERMINATE_EXIT)) {
                h.destroyForcibly();
            }
        }
        for (ProcessHandle h : tree) {
            waitFor(h, TERMINATE_EXIT);
        }
        try {
            process.waitFor(TERMINATE_EXIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean waitFor(ProcessHandle h, Duration timeout) {
        if (!h.isAlive()) {
            return true;
        }
        try {
            h.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !h.isAlive();
        } catch (ExecutionException | TimeoutException e) {
            return !h.isAlive();
        }
    }

    private interface LineSink {
        void accept(String line);
    }

    private static Thread drain(String name, InputStream in, LineSink sink, Runnable atEnd) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // the process went away
            } finally {
                atEnd.run();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(TERMINATE_EXIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String exitInfo(Process process) {
        return process.isAlive() ? "" : " (node exited with code " + process.exitValue() + ")";
    }

    private static String stderrText(Deque<String> tail) {
        synchronized (tail) {
            return tail.isEmpty() ? "" : "; its stderr ended with:\n" + String.join("\n", tail);
        }
    }

    // ---------------------------------------------------------------- installation

    /** The cache directory holding the resources and a complete node_modules; installs it if needed. */
    static Path installDirectory() {
        Map<String, byte[]> files = readResources();
        Path dir = cacheRoot().resolve("fifo-actors-dynalite-" + contentHash(files));
        Path marker = dir.resolve(INSTALLED_MARKER);
        if (isComplete(dir, marker)) {
            return dir;
        }
        INSTALL_LOCK.lock();
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE)) {
                FileLock lock = ch.lock(); // released when the channel closes
                try {
                    if (!isComplete(dir, marker)) {
                        Files.deleteIfExists(marker);
                        install(dir, files, marker);
                    }
                } finally {
                    lock.release();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the dynalite install in " + dir, e);
        } finally {
            INSTALL_LOCK.unlock();
        }
        return dir;
    }

    /**
     * Installed and intact: the marker written after a successful {@code npm ci} exists, and so does the
     * {@code package.json} of every package npm recorded as installed in {@code node_modules/.package-lock.json}
     * (a temp-directory cleaner may have removed files since).
     */
    static boolean isComplete(Path dir, Path marker) {
        if (!Files.isRegularFile(marker)) {
            return false;
        }
        Path installed = dir.resolve("node_modules/.package-lock.json");
        List<String> packages;
        try {
            packages = lockedPackages(Files.readString(installed, StandardCharsets.UTF_8));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
        if (!packages.contains("node_modules/dynalite")) {
            return false;
        }
        for (String p : packages) {
            if (!Files.isRegularFile(dir.resolve(p).resolve("package.json"))) {
                return false;
            }
        }
        return true;
    }

    /** The install paths ({@code node_modules/...}) a lock file lists, found without a JSON parser. */
    static List<String> lockedPackages(String lockFile) {
        Matcher m = LOCKED_PACKAGE.matcher(lockFile);
        List<String> paths = new ArrayList<>();
        while (m.find()) {
            paths.add(m.group(1));
        }
        return paths;
    }

    private static void install(Path dir, Map<String, byte[]> files, Path marker) throws IOException {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path tmp = dir.resolve(f.getKey() + ".tmp");
            Files.write(tmp, f.getValue());
            Files.move(tmp, dir.resolve(f.getKey()), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
        String npm = executable(NPM_PROPERTY, "npm");
        Path log = dir.resolve("npm-ci.log");
        // npm ci removes any partial node_modules left by an interrupted earlier run.
        ProcessBuilder pb = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund", "--prefer-offline")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("npm_config_update_notifier", "false");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not run npm (" + npm + ") to install dynalite: " + e.getMessage(),
                    e);
        }
        boolean done;
        try {
            p.getOutputStream().close();
            done = p.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            terminate(p);
            throw new IllegalStateException("interrupted while installing dynalite with npm ci in " + dir, e);
        }
        if (!done) {
            terminate(p);
            throw new IllegalStateException("npm ci in " + dir + " did not finish within " + INSTALL_TIMEOUT.toMinutes()
                    + " minutes; output:\n" + tail(log));
        }
        if (p.exitValue() != 0 || !Files.isRegularFile(dir.resolve("node_modules/dynalite/package.json"))) {
            throw new IllegalStateException("npm ci in " + dir + " failed with exit code " + p.exitValue()
                    + "; output:\n" + tail(log));
        }
        Path tmp = dir.resolve(INSTALLED_MARKER + ".tmp");
        Files.writeString(tmp, "ok\n");
        Files.move(tmp, marker, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static Map<String, byte[]> readResources() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : RESOURCES) {
            try (InputStream in = DynaliteServer.class.getResourceAsStream(RESOURCE_DIR + name)) {
                if (in == null) {
                    throw new IllegalStateException("classpath resource io/fifoactors/localaws/" + RESOURCE_DIR + name
                            + " is missing from the local-servers jar");
                }
                files.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("could not read resource " + RESOURCE_DIR + name, e);
            }
        }
        return files;
    }

    private static String contentHash(Map<String, byte[]> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                sha.update(f.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(f.getValue());
                sha.update((byte) 0);
            }
            StringBuilder hex = new StringBuilder();
            for (byte b : sha.digest()) {
                hex.append(String.format("%02x", b));
            }
            return hex.substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static Path cacheRoot() {
        String configured = System.getProperty(CACHE_DIR_PROPERTY);
        return Paths.get(configured != null && !configured.isBlank() ? configured
                : System.getProperty("java.io.tmpdir"));
    }

    /** The executable named by the system property, else found on the PATH; a clear error if neither exists. */
    static String executable(String property, String name) {
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            if (!Files.isExecutable(Paths.get(configured))) {
                throw new IllegalStateException("system property " + property + " names " + configured
                        + ", which is not an executable file");
            }
            return configured;
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        List<String> candidates = windows ? List.of(name + ".exe", name + ".cmd", name + ".bat") : List.of(name);
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(java.io.File.pathSeparator)) {
                if (entry.isBlank()) {
                    continue;
                }
                for (String candidate : candidates) {
                    Path p = Paths.get(entry).resolve(candidate);
                    if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                        return p.toString();
                    }
                }
            }
        }
        throw new IllegalStateException("'" + name + "' was not found on the PATH; dynalite (the local DynamoDB used"
                + " by these tests) needs Node.js 18 or later with npm. Install Node.js, or set the system property "
                + property + " to the executable");
    }
}
