package io.fifoactors.e2e;

import io.fifoactors.localaws.DynaliteInstall;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A dynalite child process whose tables live on disk (LevelDB) under a directory of its own, on a fixed loopback
 * port, so that a test can kill it (SIGKILL to its own pid: nothing flushed, no goodbye) and start it again on the
 * same port and directory: the clients' endpoint does not change, and the tables and items written before the kill
 * are there (LevelDB's log is in the page cache when the process dies, and read back on open).
 */
final class RestartableDynalite implements AutoCloseable {
    private final Path dataDir;
    private final Path script;
    private final int port;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private Process process;

    private RestartableDynalite(Path dataDir, Path script, int port) {
        this.dataDir = dataDir;
        this.script = script;
        this.port = port;
    }

    /** Starts dynalite on a free port with its data in a new temporary directory. */
    static RestartableDynalite start() {
        try {
            Path dir = Files.createTempDirectory("e2e-dynalite-");
            Path script = dir.resolve("dynalite-on-disk.js");
            try (InputStream in = RestartableDynalite.class.getResourceAsStream("dynalite-on-disk.js")) {
                if (in == null) {
                    throw new IllegalStateException("resource dynalite-on-disk.js is missing");
                }
                Files.write(script, in.readAllBytes());
            }
            RestartableDynalite d = new RestartableDynalite(dir.resolve("data"), script, freePort());
            d.launch();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    private synchronized void launch() {
        Path install = DynaliteInstall.directory();
        ProcessBuilder pb = new ProcessBuilder(DynaliteInstall.node(), script.toString(), Integer.toString(port),
                dataDir.toString()).redirectErrorStream(true);
        pb.environment().put("NODE_PATH", install.resolve("node_modules").toString());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start node for dynalite", e);
        }
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("DYNALITE_PORT=")) {
                        ready.complete(null);
                    } else {
                        output.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the process died
            } finally {
                ready.completeExceptionally(new IllegalStateException("dynalite exited before listening"));
            }
        }, "e2e-dynalite-" + p.pid());
        drain.setDaemon(true);
        drain.start();
        try {
            ready.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted while starting dynalite", e);
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new IllegalStateException("dynalite did not start on port " + port + ": " + e.getMessage()
                    + "; output: " + output, e);
        }
        process = p;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    synchronized long pid() {
        return process.pid();
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL to the node process's own pid, and waits until it is gone. */
    synchronized void kill() {
        ProcessHandle h = process.toHandle();
        h.destroyForcibly(); // SIGKILL on Linux
        try {
            h.onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("dynalite (pid " + h.pid() + ") did not die", e);
        }
    }

    /** Starts dynalite again on the same port and data directory. */
    synchronized void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("dynalite is still running");
        }
        launch();
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            try {
                process.getOutputStream().close(); // the script exits when its input closes
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(script.getParent())) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }
}
