package io.fifoactors.lambdaexample;

import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One poller of an emulated event source mapping feeding one function process: receive up to 10 messages (long
 * polling for a second), invoke the function with them through its Runtime API, delete what the partial batch
 * response does not report and make the reported ones visible again. Signals {@code progress} after every round.
 */
final class EsmLoop implements AutoCloseable {
    final String name;
    final RuntimeApiServer api;
    final FunctionProcess fn;
    final AtomicBoolean busy = new AtomicBoolean();
    final AtomicInteger invocations = new AtomicInteger();
    final AtomicInteger records = new AtomicInteger();
    final List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread poller;

    private EsmLoop(String name, LocalAws aws, String queueUrl, String queueArn, RuntimeApiServer api,
                    FunctionProcess fn, Object progress) {
        this.name = name;
        this.api = api;
        this.fn = fn;
        this.poller = new Thread(() -> poll(aws, queueUrl, queueArn, progress), "esm-" + name);
        poller.setDaemon(true);
    }

    /** Starts the function process, waits for its init, then starts polling. */
    static EsmLoop start(String name, LocalAws aws, String queueUrl, String queueArn, java.util.Map<String, String> env,
                         String handler, Object progress, java.nio.file.Path taskRoot) {
        RuntimeApiServer api = RuntimeApiServer.start();
        FunctionProcess fn = FunctionProcess.start(taskRoot, api, env, handler);
        EsmLoop loop = new EsmLoop(name, aws, queueUrl, queueArn, api, fn, progress);
        try {
            api.awaitFirstNext(Duration.ofSeconds(60));
        } catch (RuntimeException | AssertionError e) {
            loop.close();
            throw new AssertionError(name + " did not start: " + fn.output(), e);
        }
        loop.poller.start();
        return loop;
    }

    private void poll(LocalAws aws, String queueUrl, String queueArn, Object progress) {
        while (!stop.get()) {
            try {
                List<Message> batch = EsmEvents.receive(aws.sqs, queueUrl, 10, 30, 1);
                if (!batch.isEmpty()) {
                    busy.set(true); // the batch stays counted as in flight by the queue until it is settled
                    records.addAndGet(batch.size());
                    RuntimeApiServer.Result r = api.invoke(EsmEvents.eventJson(batch, queueArn),
                            Duration.ofSeconds(30));
                    invocations.incrementAndGet();
                    latencies.add(r.latencyMillis());
                    List<String> failed = new ArrayList<>();
                    if (r.error()) {
                        errors.add(r.body());
                        batch.forEach(m -> failed.add(m.messageId()));
                    } else {
                        EsmEvents.JSON.readTree(r.body()).get("batchItemFailures")
                                .forEach(f -> failed.add(f.get("itemIdentifier").asText()));
                    }
                    aws.settle(queueUrl, batch, failed);
                }
            } catch (RuntimeException | IOException | AssertionError e) {
                if (!stop.get() && errors.size() < 20) {
                    errors.add(e.toString());
                }
            } finally {
                busy.set(false);
                synchronized (progress) {
                    progress.notifyAll();
                }
            }
        }
    }

    /** Stops polling (the current round ends first). */
    void stop() {
        stop.set(true);
        try {
            poller.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop.set(true);
        fn.close();
        api.close();
    }
}
