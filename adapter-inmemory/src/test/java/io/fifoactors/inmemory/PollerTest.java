package io.fifoactors.inmemory;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.TransientFailureException;
import io.fifoactors.core.port.Consistency;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.ForwardingMailbox;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.BatchOutcome;
import io.fifoactors.core.runtime.ConsumerMetrics;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.OutcomeListener;
import io.fifoactors.core.runtime.Poller;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generic poller on the in-memory mailbox in real time (long polling waits on the mailbox, never sleeps). */
class PollerTest {
    private final InMemoryMailbox mailbox = InMemoryMailbox.builder().clock(Clock.systemUTC()).noRedrive().build();

    /** A store that is down while {@code down} is set, and says when it first refused. */
    private static final class OutageStore implements StateStore {
        final InMemoryStateStore inner = InMemoryStateStore.create();
        volatile boolean down;
        final CountDownLatch refused = new CountDownLatch(5);

        private void check() {
            if (down) {
                refused.countDown();
                throw new TransientFailureException("simulated outage");
            }
        }

        @Override
        public Optional<StoredRecord> load(ActorId id) {
            check();
            return inner.load(id);
        }

        @Override
        public Map<ActorId, StoredRecord> loadAll(Collection<ActorId> ids, Consistency c) {
            check();
            return inner.loadAll(ids, c);
        }

        @Override
        public void commit(ActorId id, long expectedVersion, StoredRecord next) {
            check();
            inner.commit(id, expectedVersion, next);
        }

        @Override
        public void putArchive(ActorId id, String chunkId, byte[] data, Instant expiresAt) {
            check();
            inner.putArchive(id, chunkId, data, expiresAt);
        }

        @Override
        public Optional<byte[]> loadArchive(ActorId id, String chunkId) {
            check();
            return inner.loadArchive(id, chunkId);
        }
    }

    private ActorSystem system(StateStore store, OutcomeListener listener) {
        return ActorSystem.builder().register(Recorder.REC).stateStore(store).mailbox(mailbox)
                .scheduler(mailbox.scheduler()).messageKeys(MessageKeys.forSimulation(3)).listener(listener).build();
    }

    @Test
    void appliesEveryMessageInOrderAndShutsDownCleanly() throws Exception {
        CountDownLatch applied = new CountDownLatch(60);
        ActorSystem s = system(InMemoryStateStore.create(), o -> {
            if (o.kind() == Outcome.Kind.APPLIED) {
                applied.countDown();
            }
        });
        Poller poller = Poller.builder().system(s).consumers(3).waitTime(Duration.ofMillis(200)).build();
        poller.start();
        for (int i = 0; i < 20; i++) {
            for (int k = 0; k < 3; k++) {
                s.tell(Recorder.REC.ref("k" + k), new Recorder.Append("t" + i), "m-" + k + "-" + i);
            }
        }
        assertTrue(applied.await(20, TimeUnit.SECONDS), "not all applied: " + poller.stats());
        assertTrue(poller.shutdown(Duration.ofSeconds(10)));
        assertTrue(poller.isTerminated());
        for (int k = 0; k < 3; k++) {
            assertEquals(20, s.inspect(Recorder.REC, "k" + k).state().entries().size());
            assertEquals("t19", s.inspect(Recorder.REC, "k" + k).state().entries().get(19));
        }
        assertEquals(60, poller.stats().succeeded());
    }

    @Test
    void aStoreOutageHoldsTheBatchWithoutSpendingReceivesAndIsLoggedWhenItStartsAndEnds() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        OutageStore store = new OutageStore();
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        CountDownLatch applied = new CountDownLatch(10);
        AtomicInteger held = new AtomicInteger();
        ActorSystem s = system(store, o -> {
            outcomes.add(o);
            if (o.kind() == Outcome.Kind.APPLIED) {
                applied.countDown();
            }
        });
        Poller poller = Poller.builder().system(s).consumers(2).waitTime(Duration.ofMillis(200))
                .visibilityTimeout(Duration.ofSeconds(5)).backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .metrics(new ConsumerMetrics() {
                    @Override
                    public void holding(int count) {
                        held.addAndGet(count);
                    }
                }).build();
        try {
            store.down = true;
            poller.start();
            for (int i = 0; i < 10; i++) {
                s.tell(Recorder.REC.ref("k" + (i % 2)), new Recorder.Append("t" + i), "m-" + i);
            }
            assertTrue(store.refused.await(10, TimeUnit.SECONDS), "the store was never called");
            store.down = false;
            assertTrue(applied.await(20, TimeUnit.SECONDS), "not recovered: " + poller.stats());
            assertTrue(poller.shutdown(Duration.ofSeconds(10)));
        } finally {
            System.setErr(originalErr);
        }
        assertTrue(held.get() > 0, "the batch was held through the outage");
        assertTrue(poller.stats().retried(BatchOutcome.RetryCause.INFRASTRUCTURE) > 0);
        assertTrue(outcomes.stream().filter(o -> o.kind() == Outcome.Kind.APPLIED)
                .allMatch(o -> o.receiveCount() == 1), "no receive was spent on the outage: " + outcomes);
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("unavailable"), log);
        assertTrue(log.contains("available again"), log);
        assertTrue(!log.contains("\"tag\""), "no payload in the log");
    }

    /** A mailbox whose acknowledgement waits for the test and then reports every receipt stale. */
    private static final class StaleAckMailbox extends ForwardingMailbox {
        final CountDownLatch acknowledging = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        StaleAckMailbox(Mailbox inner) {
            super(inner);
        }

        @Override
        public List<Delivery> acknowledge(List<Delivery> deliveries) {
            acknowledging.countDown();
            try {
                if (!release.await(20, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the acknowledgement");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            super.acknowledge(deliveries);
            return deliveries;
        }
    }

    @Test
    void aDeliveryCountsAsSucceededOnlyOnceItsAcknowledgementReturnedWithWhatItFound() throws Exception {
        StaleAckMailbox gated = new StaleAckMailbox(mailbox);
        ActorSystem s = ActorSystem.builder().register(Recorder.REC).stateStore(InMemoryStateStore.create())
                .mailbox(gated).scheduler(mailbox.scheduler()).messageKeys(MessageKeys.forSimulation(3)).build();
        Poller poller = Poller.builder().system(s).consumers(1).waitTime(Duration.ofMillis(200)).build();
        poller.start();
        try {
            s.tell(Recorder.REC.ref("k"), new Recorder.Append("t"), "m-1");
            assertTrue(gated.acknowledging.await(20, TimeUnit.SECONDS), "never acknowledged: " + poller.stats());
            Poller.Stats during = poller.stats();
            assertEquals(1, during.messages(), "processed");
            assertEquals(0, during.succeeded(), "but its acknowledgement has not returned");
            gated.release.countDown();
            Poller.Stats after = waitForStats(poller, st -> st.succeeded() == 1);
            assertEquals(1, after.staleAcknowledgements(), "whoever sees it succeeded sees the stale receipt too");
        } finally {
            gated.release.countDown();
            assertTrue(poller.shutdown(Duration.ofSeconds(10)));
        }
    }

    /** Reads the poller's counters until they satisfy {@code done} (bounded: 20 s). */
    private static Poller.Stats waitForStats(Poller poller, Predicate<Poller.Stats> done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Poller.Stats st = poller.stats();
        while (!done.test(st)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the poller's counters never got there: " + st);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            st = poller.stats();
        }
        return st;
    }
}
