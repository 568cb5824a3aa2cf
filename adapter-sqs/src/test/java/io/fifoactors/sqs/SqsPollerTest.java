package io.fifoactors.sqs;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.TransientFailureException;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.sqs.PollerFakes.Gate;
import io.fifoactors.sqs.PollerFakes.MapStateStore;
import io.fifoactors.sqs.PollerFakes.Release;
import io.fifoactors.sqs.PollerFakes.ScriptedMailbox;
import io.fifoactors.sqs.PollerFakes.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.fifoactors.sqs.PollerFakes.COUNTER;
import static io.fifoactors.sqs.PollerFakes.await;
import static io.fifoactors.sqs.PollerFakes.delivery;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SqsPoller against fakes of the ports: settling, heartbeats, back-pressure, backoff and shutdown. */
class SqsPollerTest {
    private static final Duration VISIBILITY = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ScriptedMailbox mailbox = new ScriptedMailbox();
    private final MapStateStore store = new MapStateStore();
    private final List<SqsPoller> pollers = new ArrayList<>();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final List<Gate> gates = new ArrayList<>();

    @AfterEach
    void stop() {
        gates.forEach(g -> g.open.countDown());
        pollers.forEach(p -> p.shutdown(TIMEOUT));
        PollerFakes.GATES.clear();
    }

    private ActorSystem system() {
        return system(null);
    }

    private ActorSystem system(Executor groupExecutor) {
        ActorSystem.Builder b = ActorSystem.builder().register(COUNTER).stateStore(store).mailbox(mailbox).maxAttempts(3);
        if (groupExecutor != null) {
            b.groupExecutor(groupExecutor);
        }
        return b.build();
    }

    private SqsPoller.Builder poller(ActorSystem system) {
        return SqsPoller.builder().system(system).mailbox(mailbox).visibilityTimeout(VISIBILITY).waitTime(WAIT)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
                .errorListener((operation, e) -> errors.add(operation));
    }

    private SqsPoller started(SqsPoller.Builder b) {
        SqsPoller p = b.build();
        pollers.add(p);
        p.start();
        return p;
    }

    private Gate gate(String tag) {
        Gate g = Gate.on(tag);
        gates.add(g);
        return g;
    }

    private static List<String> ids(List<Delivery> ds) {
        return ds.stream().map(Delivery::messageId).toList();
    }

    // ------------------------------------------------------------------------------------------------ settling

    @Test
    void processesBatchesAndAcknowledgesThem() {
        Delivery a1 = delivery("a", "p1");
        Delivery b1 = delivery("b", "p2");
        Delivery a2 = delivery("a", "p3");
        mailbox.enqueue(a1, b1, a2).enqueue(delivery("c", "p4"));
        SqsPoller p = started(poller(system()).consumers(2));

        mailbox.awaitThat("all four are acknowledged", () -> mailbox.acknowledged().size() == 4);
        await("the poller counted them", TIMEOUT, () -> p.stats().acknowledged() == 4);
        assertEquals(3, store.commits(), "one commit per actor and batch");
        SqsPoller.Stats s = p.stats();
        assertEquals(2, s.batches());
        assertEquals(4, s.messages());
        assertEquals(4, s.acknowledged());
        assertEquals(0, s.released());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void releasesAFailedMessageAndTheLaterOnesOfItsGroupAfterTheRetryDelay() {
        Delivery bad = delivery("a", "fail-1");
        Delivery after = delivery("a", "after-fail");
        Delivery other = delivery("b", "fine");
        mailbox.enqueue(bad, other, after);
        started(poller(system()).retryDelay(Duration.ofSeconds(7)));

        mailbox.awaitThat("the batch is settled", () -> !mailbox.acknowledged().isEmpty()
                && !mailbox.releases().isEmpty());
        assertEquals(List.of("m-fine"), ids(mailbox.acknowledged()));
        Release r = mailbox.releases().get(0);
        assertEquals(Duration.ofSeconds(7), r.delay());
        assertEquals(List.of("m-fail-1", "m-after-fail"), ids(r.deliveries()));
    }

    @Test
    void aStaleAcknowledgementIsCountedNotAnError() {
        mailbox.staleOnAcknowledge(d -> d.messageId().equals("m-stale"));
        mailbox.enqueue(delivery("a", "stale"), delivery("b", "fresh"));
        SqsPoller p = started(poller(system()));

        await("the batch is settled", TIMEOUT, () -> p.stats().acknowledged() + p.stats().staleAcknowledgements() == 2);
        assertEquals(1, p.stats().staleAcknowledgements());
        assertEquals(1, p.stats().acknowledged());
        assertEquals(0, p.stats().settleErrors());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void aFailedAcknowledgementIsReportedAndTheLoopGoesOn() {
        mailbox.failNextAcknowledge(new TransientFailureException("SQS DeleteMessageBatch failed"));
        mailbox.enqueue(delivery("a", "first")).enqueue(delivery("a", "second"));
        SqsPoller p = started(poller(system()));

        mailbox.awaitThat("the second batch is acknowledged", () -> ids(mailbox.acknowledged()).contains("m-second"));
        assertEquals(1, p.stats().settleErrors());
        assertEquals(List.of("acknowledge"), errors);
        assertFalse(ids(mailbox.acknowledged()).contains("m-first"), "left to its visibility timeout");
    }

    @Test
    void aBatchWhoseProcessingThrowsIsReleasedAndTheLoopGoesOn() {
        AtomicBoolean rejectOnce = new AtomicBoolean(true);
        Executor flaky = r -> {
            if (rejectOnce.getAndSet(false)) {
                throw new IllegalStateException("executor broken");
            }
            r.run();
        };
        Delivery d = delivery("a", "retried");
        mailbox.enqueue(d).enqueue(delivery("a", "retried", Long.parseLong(d.sequenceNumber()), 2));
        SqsPoller p = started(poller(system(flaky)).retryDelay(Duration.ofSeconds(3)));

        mailbox.awaitThat("the redelivery is acknowledged", () -> mailbox.acknowledged().size() == 1);
        assertEquals(1, p.stats().processErrors());
        assertEquals(List.of("m-retried"), ids(mailbox.releasesWith(Duration.ofSeconds(3)).get(0).deliveries()));
        assertEquals(List.of("process"), errors);
        assertEquals(1, store.commits());
    }

    // ------------------------------------------------------------------------------------------------ heartbeats

    @Test
    void heartbeatsExtendTheVisibilityWhileTheBatchRunsAndStopWhenItIsSettled() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2030-01-01T00:00:00Z"));
        Gate gate = gate("slow");
        Delivery slow = delivery("a", "slow");
        Delivery other = delivery("b", "quick");
        mailbox.enqueue(slow, other);
        SqsPoller p = started(poller(system()).clock(clock).heartbeatInterval(Duration.ofSeconds(10))
                .heartbeatTimer(false));
        gate.awaitEntered();

        p.heartbeatTick();
        assertTrue(mailbox.releases().isEmpty(), "not due yet");
        clock.advance(Duration.ofSeconds(10));
        p.heartbeatTick();
        assertEquals(1, p.stats().heartbeats());
        clock.advance(Duration.ofSeconds(5));
        p.heartbeatTick();
        assertEquals(1, p.stats().heartbeats(), "the next one is due 10 s after the last");
        clock.advance(Duration.ofSeconds(5));
        p.heartbeatTick();
        assertEquals(2, p.stats().heartbeats());

        gate.open.countDown();
        mailbox.awaitThat("the batch is acknowledged", () -> mailbox.acknowledged().size() == 2);
        clock.advance(Duration.ofSeconds(60));
        p.heartbeatTick();
        assertEquals(2, p.stats().heartbeats(), "no heartbeat after the batch is settled");

        for (Release r : mailbox.releases()) {
            assertEquals(VISIBILITY, r.delay(), "a heartbeat extends by the full visibility timeout, never less");
            assertEquals(List.of("m-slow", "m-quick"), ids(r.deliveries()));
        }
    }

    @Test
    void heartbeatsRunOnTheirOwnAndNeverAfterTheAcknowledgement() throws Exception {
        Gate gate = gate("long");
        mailbox.enqueue(delivery("a", "long"));
        SqsPoller p = started(poller(system()).visibilityTimeout(Duration.ofSeconds(1))
                .heartbeatInterval(Duration.ofMillis(40)));
        gate.awaitEntered();
        mailbox.awaitThat("three heartbeats", () -> mailbox.releases().size() >= 3);
        gate.open.countDown();
        mailbox.awaitThat("the message is acknowledged", () -> mailbox.acknowledged().size() == 1);
        assertTrue(p.shutdown(TIMEOUT));

        List<String> log = mailbox.log();
        int ack = log.indexOf("acknowledge m-long");
        for (int i = ack + 1; i < log.size(); i++) {
            assertFalse(log.get(i).startsWith("release"), "heartbeat after the acknowledgement: " + log);
        }
        assertTrue(mailbox.releases().stream().allMatch(r -> r.delay().equals(Duration.ofSeconds(1))));
    }

    @Test
    void heartbeatsCanBeTurnedOff() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2030-01-01T00:00:00Z"));
        Gate gate = gate("unbeaten");
        mailbox.enqueue(delivery("a", "unbeaten"));
        SqsPoller p = started(poller(system()).clock(clock).heartbeatInterval(Duration.ZERO)
                .heartbeatTimer(false));
        gate.awaitEntered();
        clock.advance(Duration.ofMinutes(5));
        p.heartbeatTick();
        assertTrue(mailbox.releases().isEmpty());
        assertEquals(0, p.stats().heartbeats());
    }

    @Test
    void heartbeatsStopAfterTheMaximumProcessingTime() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2030-01-01T00:00:00Z"));
        Gate gate = gate("stuck");
        mailbox.enqueue(delivery("a", "stuck"));
        SqsPoller p = started(poller(system()).clock(clock).heartbeatInterval(Duration.ofSeconds(10))
                .maxProcessingTime(Duration.ofSeconds(25)).heartbeatTimer(false));
        gate.awaitEntered();
        clock.advance(Duration.ofSeconds(10));
        p.heartbeatTick();
        clock.advance(Duration.ofSeconds(10));
        p.heartbeatTick();
        clock.advance(Duration.ofSeconds(10));
        p.heartbeatTick();
        assertEquals(2, p.stats().heartbeats(), "none at 30 s, past the 25 s limit");
    }

    // ------------------------------------------------------------------------------------------------ back-pressure

    @Test
    void holdsAtMostOneBatchPerConsumer() throws Exception {
        List<Gate> batchGates = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batchGates.add(gate("bp-" + i));
            mailbox.enqueue(delivery("k" + i, "bp-" + i), delivery("x" + i, "free-" + i));
        }
        SqsPoller p = started(poller(system()).consumers(2));
        await("two handlers are held", TIMEOUT, () -> batchGates.stream().filter(g -> g.entered.getCount() == 0)
                .count() == 2);
        assertEquals(4, mailbox.scripted(), "nothing more is received while both consumers are busy");
        assertEquals(2, p.stats().inFlightBatches());

        batchGates.forEach(g -> g.open.countDown());
        mailbox.awaitThat("everything is acknowledged", () -> mailbox.acknowledged().size() == 12);
        assertTrue(mailbox.maxHeld() <= 4, "held at most 2 batches of 2, held " + mailbox.maxHeld());
    }

    // ------------------------------------------------------------------------------------------------ failures

    @Test
    void receiveErrorsBackOffInsteadOfSpinning() {
        for (int i = 0; i < 3; i++) {
            mailbox.failReceive(new TransientFailureException("SQS ReceiveMessage failed: ServiceUnavailable"));
        }
        mailbox.failReceive(new PermanentFailureException("SQS ReceiveMessage failed: AccessDenied"));
        mailbox.enqueue(delivery("a", "after-errors"));
        SqsPoller p = started(poller(system()).backoff(Duration.ofMillis(20), Duration.ofMillis(60)));

        mailbox.awaitThat("the message after the errors is acknowledged", () -> mailbox.acknowledged().size() == 1);
        assertEquals(4, p.stats().receiveErrors());
        assertEquals(List.of("receive", "receive", "receive", "receive"), errors);
        List<Long> at = mailbox.receiveErrorNanos();
        for (int i = 1; i < at.size(); i++) {
            long gapMillis = TimeUnit.NANOSECONDS.toMillis(at.get(i) - at.get(i - 1));
            assertTrue(gapMillis >= 10, "receive retried after " + gapMillis + " ms, below half the minimum backoff");
        }
    }

    @Test
    void backoffIsBoundedJitteredAndGrows() {
        Duration min = Duration.ofMillis(100);
        Duration max = Duration.ofSeconds(10);
        assertEquals(Duration.ofMillis(50), SqsPoller.backoff(1, min, max, 0.0));
        assertEquals(Duration.ofMillis(100), SqsPoller.backoff(2, min, max, 0.0));
        assertEquals(Duration.ofMillis(200), SqsPoller.backoff(3, min, max, 0.0));
        assertEquals(Duration.ofMillis(400), SqsPoller.backoff(3, min, max, 1.0));
        for (int failures = 1; failures < 200; failures++) {
            for (double r : new double[] {0.0, 0.3, 0.999_999}) {
                Duration d = SqsPoller.backoff(failures, min, max, r);
                assertTrue(d.compareTo(min.dividedBy(2)) >= 0 && d.compareTo(max) <= 0, failures + " -> " + d);
            }
        }
        assertEquals(Duration.ofSeconds(5), SqsPoller.backoff(Integer.MAX_VALUE, min, max, 0.0));
        assertTrue(SqsPoller.backoff(40, min, max, 0.0).compareTo(SqsPoller.backoff(40, min, max, 0.9)) < 0,
                "jittered");
    }

    // ------------------------------------------------------------------------------------------------ shutdown

    @Test
    void shutdownStopsReceivingAndFinishesTheBatchInFlight() throws Exception {
        Gate gate = gate("in-flight");
        mailbox.enqueue(delivery("a", "in-flight"));
        SqsPoller p = started(poller(system()));
        gate.awaitEntered();
        mailbox.enqueue(delivery("a", "never-received"));

        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> p.shutdown(TIMEOUT));
        await("the poller stops running", TIMEOUT, () -> !p.isRunning());
        assertFalse(stopped.isDone(), "shutdown waits for the batch in flight");
        assertTrue(mailbox.acknowledged().isEmpty());

        gate.open.countDown();
        assertTrue(stopped.get(10, TimeUnit.SECONDS));
        assertTrue(p.isTerminated());
        assertEquals(List.of("m-in-flight"), ids(mailbox.acknowledged()));
        assertEquals(1, mailbox.scripted(), "nothing is received after the stop");
        assertEquals(1, p.stats().receives());
    }

    @Test
    void aBatchReceivedAfterTheStopIsReleasedAtOnceUnprocessed() throws Exception {
        mailbox.holdReceives();
        mailbox.enqueue(delivery("a", "late"));
        SqsPoller p = started(poller(system()));
        mailbox.awaitReceiveEntered();

        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> p.shutdown(TIMEOUT));
        await("the poller stops running", TIMEOUT, () -> !p.isRunning());
        mailbox.openReceives();
        assertTrue(stopped.get(10, TimeUnit.SECONDS));

        assertTrue(mailbox.acknowledged().isEmpty());
        assertEquals(1, mailbox.releases().size());
        Release r = mailbox.releases().get(0);
        assertEquals(Duration.ZERO, r.delay());
        assertEquals(List.of("m-late"), ids(r.deliveries()));
        assertFalse(store.has(COUNTER.id("a")), "not processed");
        assertEquals(0, p.stats().batches());
    }

    @Test
    void aShutdownThatTimesOutInterruptsAndAcknowledgesNothingUnprocessed() throws Exception {
        Gate gate = gate("hung");
        mailbox.enqueue(delivery("a", "hung"));
        SqsPoller p = started(poller(system()).retryDelay(Duration.ofSeconds(2)));
        gate.awaitEntered();

        assertFalse(p.shutdown(Duration.ofMillis(50)), "the handler is still running");
        assertTrue(p.awaitTermination(TIMEOUT), "the interrupted handler failed and the loop ended");
        assertTrue(mailbox.acknowledged().isEmpty(), "never acknowledged unprocessed");
        assertEquals(List.of("m-hung"), ids(mailbox.releasesWith(Duration.ofSeconds(2)).get(0).deliveries()));
    }

    @Test
    void shutdownBeforeStartAndCloseAreHarmless() {
        SqsPoller p = poller(system()).build();
        assertTrue(p.shutdown(Duration.ZERO));
        assertTrue(p.isTerminated());
        assertThrows(IllegalStateException.class, p::start);
        p.close();

        SqsPoller q = started(poller(system()));
        assertThrows(IllegalStateException.class, q::start);
        q.close();
        assertTrue(q.isTerminated());
        assertTrue(q.shutdown(Duration.ZERO), "idempotent");
    }

    // ------------------------------------------------------------------------------------------------ builder

    @Test
    void builderRefusesMissingOrOutOfRangeSettings() {
        ActorSystem system = system();
        assertThrows(ConfigurationException.class, () -> SqsPoller.builder().mailbox(mailbox).build());
        assertThrows(ConfigurationException.class, () -> SqsPoller.builder().system(system).build());
        assertThrows(ConfigurationException.class, () -> poller(system).consumers(0).build());
        assertThrows(ConfigurationException.class, () -> poller(system).maxMessages(11).build());
        assertThrows(ConfigurationException.class, () -> poller(system).visibilityTimeout(Duration.ZERO).build());
        assertThrows(ConfigurationException.class, () -> poller(system).visibilityTimeout(Duration.ofHours(13)).build());
        assertThrows(ConfigurationException.class, () -> poller(system).waitTime(Duration.ofSeconds(21)).build());
        assertThrows(ConfigurationException.class, () -> poller(system).retryDelay(Duration.ofSeconds(-1)).build());
        assertThrows(ConfigurationException.class, () -> poller(system).heartbeatInterval(VISIBILITY).build());
        assertThrows(ConfigurationException.class,
                () -> poller(system).heartbeatInterval(Duration.ofSeconds(-1)).build());
        assertThrows(ConfigurationException.class,
                () -> poller(system).backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build());
        assertThrows(ConfigurationException.class, () -> poller(system).backoff(Duration.ZERO, Duration.ZERO).build());
        assertThrows(ConfigurationException.class, () -> poller(system).clock(null).build());
        poller(system).heartbeatInterval(Duration.ofSeconds(29)).build();
    }
}
