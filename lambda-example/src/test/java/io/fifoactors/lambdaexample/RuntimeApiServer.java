package io.fifoactors.lambdaexample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Lambda Runtime API, as much of it as the runtime interface client uses, on a loopback port: invocations are
 * queued by the test and handed out on {@code /next}; responses, invocation errors, init errors and the SnapStart
 * {@code /restore/next} call are recorded with their timing.
 */
final class RuntimeApiServer implements AutoCloseable {
    private static final String BASE = "/2018-06-01/runtime/";

    /** What the function answered to one invocation. */
    record Result(boolean error, String body, String errorType, long latencyNanos) {
        double latencyMillis() {
            return latencyNanos / 1e6;
        }
    }

    /** An init error the runtime client reported. */
    record InitError(String errorType, String body) {
    }

    private static final class Pending {
        final String id = UUID.randomUUID().toString();
        final String event;
        final Duration timeout;
        final CompletableFuture<Result> result = new CompletableFuture<>();
        volatile long handedOutAt;

        Pending(String event, Duration timeout) {
            this.event = event;
            this.timeout = timeout;
        }
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<Long> firstNext = new CompletableFuture<>();
    private final CompletableFuture<InitError> initError = new CompletableFuture<>();
    private final CompletableFuture<Long> restoreNext = new CompletableFuture<>();
    private volatile boolean closed;

    static {
        // answer without Nagle delays, as Lambda's own Runtime API does not stall responses either
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private RuntimeApiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "runtime-api");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext(BASE, this::handle);
        server.start();
    }

    static RuntimeApiServer start() {
        try {
            return new RuntimeApiServer();
        } catch (IOException e) {
            throw new IllegalStateException("could not start the Runtime API server", e);
        }
    }

    /** host:port, for AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an invocation; the future completes when the function answers. */
    CompletableFuture<Result> submit(String event, Duration functionTimeout) {
        Pending p = new Pending(event, functionTimeout);
        queue.add(p);
        return p.result;
    }

    /** Invokes and waits for the answer. */
    Result invoke(String event, Duration functionTimeout) {
        try {
            return submit(event, functionTimeout).get(functionTimeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the function did not answer in time", e);
        }
    }

    /** System.nanoTime() of the first {@code /next} call: the end of init. */
    long awaitFirstNext(Duration timeout) {
        return await(firstNext, timeout, "the function never asked for an invocation");
    }

    long awaitRestoreNext(Duration timeout) {
        return await(restoreNext, timeout, "the function never called /restore/next");
    }

    InitError awaitInitError(Duration timeout) {
        return await(initError, timeout, "the function reported no init error");
    }

    boolean initErrorReported() {
        return initError.isDone();
    }

    private static <T> T await(CompletableFuture<T> f, Duration timeout, String what) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(what + " within " + timeout, e);
        }
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath().substring(BASE.length());
            byte[] body = x.getRequestBody().readAllBytes();
            String text = new String(body, StandardCharsets.UTF_8);
            if (path.equals("invocation/next")) {
                next(x);
            } else if (path.startsWith("invocation/") && path.endsWith("/response")) {
                complete(path, new Result(false, text, null, 0));
                reply(x, 202, "");
            } else if (path.startsWith("invocation/") && path.endsWith("/error")) {
                complete(path, new Result(true, text, x.getRequestHeaders()
                        .getFirst("Lambda-Runtime-Function-Error-Type"), 0));
                reply(x, 202, "");
            } else if (path.equals("init/error")) {
                initError.complete(new InitError(x.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"),
                        text));
                reply(x, 202, "");
            } else if (path.equals("restore/next")) {
                restoreNext.complete(System.nanoTime());
                reply(x, 200, "");
            } else if (path.equals("restore/error")) {
                reply(x, 202, "");
            } else {
                reply(x, 404, "{\"errorMessage\":\"unknown path\"}");
            }
        }
    }

    private void next(HttpExchange x) throws IOException {
        firstNext.complete(System.nanoTime());
        Pending p = null;
        try {
            while (p == null && !closed) {
                p = queue.poll(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (p == null) {
            reply(x, 500, "{\"errorMessage\":\"shutting down\"}");
            return;
        }
        inFlight.put(p.id, p);
        x.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", p.id);
        x.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms",
                Long.toString(System.currentTimeMillis() + p.timeout.toMillis()));
        x.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:us-east-1:000000000000:function:ledger-test");
        x.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
        x.getResponseHeaders().add("Content-Type", "application/json");
        p.handedOutAt = System.nanoTime();
        reply(x, 200, p.event);
    }

    private void complete(String path, Result r) {
        String id = path.substring("invocation/".length(), path.lastIndexOf('/'));
        Pending p = inFlight.remove(id);
        if (p != null) {
            p.result.complete(new Result(r.error(), r.body(), r.errorType(), System.nanoTime() - p.handedOutAt));
        }
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        threads.shutdownNow();
    }
}
