package io.fifoactors.inmemory;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.Effect;
import io.fifoactors.core.TransientFailureException;
import io.fifoactors.core.VersionConflictException;
import io.fifoactors.core.port.Consistency;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.ForwardingMailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.RedrivePolicy;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.BatchOutcome;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.core.runtime.RuntimeEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runtime over the in-memory ports: concurrency, one send per batch, the record cache, time limits, checks. */
class RuntimeOnMemoryTest {
    private final VirtualClock clock = VirtualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryMailbox mailbox = InMemoryMailbox.builder().clock(clock).noRedrive().build();
    private final InMemoryStateStore store = InMemoryStateStore.builder().clock(clock).build();

    private ActorSystem.Builder system() {
        return ActorSystem.builder().register(Recorder.REC).stateStore(store).mailbox(mailbox)
                .scheduler(mailbox.scheduler()).clock(clock).messageKeys(MessageKeys.forSimulation(1)).inlineGroups();
    }

    /** Receives a batch, processes it and acknowledges what settled. */
    private BatchOutcome round(ActorSystem s, java.util.function.Predicate<Delivery> which) {
        List<Delivery> batch = mailbox.receive(10, Duration.ofSeconds(30), Duration.ZERO);
        mailbox.acknowledge(batch.stream().filter(which.negate()).toList());
        BatchOutcome r = s.process(batch.stream().filter(which).toList());
        mailbox.acknowledge(r.succeeded());
        return r;
    }

    private List<String> log(String key) {
        return ActorSystemAccess.log(system().build(), key);
    }

    /** Reads a recorder's log through a fresh system. */
    static final class ActorSystemAccess {
        static List<String> log(ActorSystem s, String key) {
            return s.inspect(Recorder.REC, key).state().entries();
        }
    }

    @Test
    void groupsRunConcurrentlyAndARejectingExecutorDelaysButNeverDropsAGroup() {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicInteger submissions = new AtomicInteger();
        try {
            ActorSystem s = system().groupExecutor(r -> {
                if (submissions.incrementAndGet() % 2 == 0) {
                    throw new RejectedExecutionException("saturated");
                }
                pool.execute(r);
            }).build();
            for (int k = 0; k < 4; k++) {
                for (int i = 0; i < 2; i++) {
                    s.tell(Recorder.REC.ref("k" + k), new Recorder.Append("t" + i), "m-" + k + "-" + i);
                }
            }
            List<Delivery> batch = mailbox.receive(10, Duration.ofSeconds(30), Duration.ZERO);
            assertEquals(8, batch.size());
            BatchOutcome outcome = s.process(batch);
            assertEquals(8, outcome.succeeded().size());
            for (int k = 0; k < 4; k++) {
                assertEquals(List.of("t0", "t1"), log("k" + k));
            }
            assertEquals(4, submissions.get());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Counts the mailbox's sends and fails them on request. */
    private static final class CountingMailbox extends ForwardingMailbox {
        final AtomicInteger sends = new AtomicInteger();
        volatile boolean failSends;

        CountingMailbox(InMemoryMailbox inner) {
            super(inner);
        }

        @Override
        public void send(List<OutgoingMessage> messages) {
            sends.incrementAndGet();
            if (failSends) {
                throw new TransientFailureException("simulated send failure");
            }
            super.send(messages);
        }
    }

    @Test
    void oneSendCarriesTheOutboxesOfEveryActorInTheBatchAndAFailedOneRetriesTheSendersOnly() {
        CountingMailbox counting = new CountingMailbox(mailbox);
        ActorSystem s = system().mailbox(counting).build();
        for (int k = 0; k < 3; k++) {
            s.tell(Recorder.REC.ref("k" + k), new Recorder.Forward("f" + k, "sink"), "f-" + k);
        }
        s.tell(Recorder.REC.ref("quiet"), new Recorder.Append("a"), "a-1");
        int before = counting.sends.get();
        BatchOutcome first = round(s, d -> true);
        assertEquals(4, first.succeeded().size());
        assertEquals(1, counting.sends.get() - before, "the three forwards went out in one send");

        round(s, d -> true); // the sink's three credits
        for (int k = 0; k < 3; k++) {
            s.tell(Recorder.REC.ref("k" + k), new Recorder.Forward("g" + k, "sink"), "g-" + k);
        }
        s.tell(Recorder.REC.ref("quiet"), new Recorder.Append("b"), "b-1");
        counting.failSends = true;
        BatchOutcome failed = round(s, d -> true);
        assertEquals(List.of("b-1"), failed.succeeded().stream().map(Delivery::messageId).toList(),
                "an actor that sent nothing is not held back by the others' send");
        assertTrue(failed.retries().stream().allMatch(r -> r.cause() == BatchOutcome.RetryCause.INFRASTRUCTURE));
        counting.failSends = false;
        mailbox.retryAfter(failed.failed(), Duration.ZERO);
        BatchOutcome again = round(s, d -> true);
        assertEquals(3, again.succeeded().size(), "redelivered as duplicates: the committed outboxes are sent now");
        assertEquals(List.of("a", "b"), log("quiet"));
        assertEquals(List.of("f0", "g0"), log("k0"));
    }

    /** A store that counts reads and can lose a race on request. */
    private static final class CountingStore implements StateStore {
        final InMemoryStateStore inner;
        final AtomicInteger reads = new AtomicInteger();
        volatile String overwriteBeforeCommit;

        CountingStore(InMemoryStateStore inner) {
            this.inner = inner;
        }

        @Override
        public Optional<StoredRecord> load(ActorId id) {
            reads.incrementAndGet();
            return inner.load(id);
        }

        @Override
        public Map<ActorId, StoredRecord> loadAll(Collection<ActorId> ids, Consistency c) {
            reads.addAndGet(ids.size());
            return inner.loadAll(ids, c);
        }

        @Override
        public void commit(ActorId id, long expectedVersion, StoredRecord next) {
            if (id.key().equals(overwriteBeforeCommit)) {
                overwriteBeforeCommit = null;
                StoredRecord current = inner.load(id).orElseThrow();
                inner.commit(id, current.version(), new StoredRecord(current.version() + 1, current.state(),
                        current.control()));
            }
            inner.commit(id, expectedVersion, next);
        }

        @Override
        public void putArchive(ActorId id, String chunkId, byte[] data, Instant expiresAt) {
            inner.putArchive(id, chunkId, data, expiresAt);
        }

        @Override
        public Optional<byte[]> loadArchive(ActorId id, String chunkId) {
            return inner.loadArchive(id, chunkId);
        }
    }

    @Test
    void withTheRecordCacheActorsThatComeBackAreNotReadAndAStaleCopyLosesItsRaceAndApplies() {
        CountingStore counting = new CountingStore(store);
        List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
        ActorSystem s = system().stateStore(counting).recordCache(100).listener(new io.fifoactors.core.runtime
                .OutcomeListener() {
            @Override
            public void onOutcome(io.fifoactors.core.runtime.Outcome o) {
            }

            @Override
            public void onEvent(RuntimeEvent e) {
                events.add(e);
            }
        }).build();
        s.tell(Recorder.REC.ref("a"), new Recorder.Append("1"), "m-1");
        round(s, d -> true);
        int reads = counting.reads.get();
        s.tell(Recorder.REC.ref("a"), new Recorder.Append("2"), "m-2");
        BatchOutcome second = round(s, d -> true);
        assertEquals(1, second.succeeded().size());
        assertEquals(reads, counting.reads.get(), "the second batch was served by the cache");

        counting.overwriteBeforeCommit = "a"; // another consumer wrote meanwhile: the cached copy is stale
        s.tell(Recorder.REC.ref("a"), new Recorder.Append("3"), "m-3");
        round(s, d -> true);
        assertEquals(List.of("1", "2", "3"), log("a"));
        assertTrue(events.stream().anyMatch(e -> e.kind() == RuntimeEvent.Kind.VERSION_CONFLICT
                && e.detail().contains("stale")), events.toString());
    }

    static final CountDownLatch RELEASE = new CountDownLatch(1);

    sealed interface Slow {
    }

    record Hang() implements Slow {
    }

    record Quick() implements Slow {
    }

    record Log(int n) {
    }

    static final ActorType<Log, Slow> SLOW = ActorType.builder("slow", Log.class, Slow.class)
            .initialState(id -> new Log(0))
            .handlerTimeout(Duration.ofMillis(200))
            .on(Hang.class, (l, h, ctx) -> {
                RELEASE.await(30, TimeUnit.SECONDS); // hangs until the test ends
                return Effect.none();
            })
            .on(Quick.class, (l, q, ctx) -> Effect.persist(new Log(l.n() + 1)))
            .build();

    @Test
    void aHandlerPastItsTimeLimitIsAbandonedAloneAndCountedAsAFailedAttempt() {
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            InMemoryMailbox real = InMemoryMailbox.builder().clock(java.time.Clock.systemUTC()).noRedrive().build();
            ActorSystem s = ActorSystem.builder().register(SLOW).stateStore(InMemoryStateStore.create()).mailbox(real)
                    .scheduler(real.scheduler()).messageKeys(MessageKeys.forSimulation(1)).groupExecutor(pool)
                    .build();
            s.tell(SLOW.ref("stuck"), new Hang(), "h-1");
            for (int i = 0; i < 5; i++) {
                s.tell(SLOW.ref("ok" + i), new Quick(), "q-" + i);
            }
            BatchOutcome r = s.process(real.receive(10, Duration.ofSeconds(30), Duration.ZERO));
            assertEquals(5, r.succeeded().size(), "the other actors carried on");
            assertEquals(List.of(BatchOutcome.RetryCause.HANDLER_TIMEOUT),
                    r.retries().stream().map(BatchOutcome.Retry::cause).toList());
            var stuck = s.inspect(SLOW, "stuck");
            assertEquals(1, stuck.failing().orElseThrow().attempts(), "the timed-out attempt is counted");
            assertTrue(stuck.failing().orElseThrow().reason().orElseThrow().contains("limit of 200 ms"));
        } finally {
            RELEASE.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void theRedrivePolicyIsTheMailboxesAndAContradictionFailsTheBuild() {
        ConfigurationException expected = assertThrows(ConfigurationException.class,
                () -> system().expectRedrivePolicy(RedrivePolicy.afterReceives(15)).build());
        assertTrue(expected.getMessage().contains("the mailbox reports RedrivePolicy[none]"), expected.getMessage());
        InMemoryMailbox tight = InMemoryMailbox.builder().clock(clock).maxReceiveCount(5).build();
        ConfigurationException small = assertThrows(ConfigurationException.class,
                () -> system().mailbox(tight).scheduler(tight.scheduler()).build());
        assertTrue(small.getMessage().contains("raise the queue's maxReceiveCount above 8"), small.getMessage());
    }

    @Test
    void withoutKeysTheSystemIsNotBuiltAndWithoutASchedulerItOnlySends() {
        ConfigurationException keys = assertThrows(ConfigurationException.class, () -> ActorSystem.builder()
                .register(Recorder.REC).stateStore(store).mailbox(mailbox).scheduler(mailbox.scheduler()).build());
        assertTrue(keys.getMessage().contains("needs message keys"), keys.getMessage());
        // a producer needs no timer queue: it sends, and refuses to process with a precise message
        ActorSystem producer = ActorSystem.builder().register(Recorder.REC).stateStore(store).mailbox(mailbox)
                .messageKeys(MessageKeys.forSimulation(1)).clock(clock).build();
        producer.tell(Recorder.REC.ref("a"), new Recorder.Append("1"), "m-1");
        List<Delivery> got = mailbox.receive(10, Duration.ofSeconds(30), Duration.ZERO);
        assertEquals(1, got.size(), "the producer's message was sent");
        ConfigurationException process = assertThrows(ConfigurationException.class, () -> producer.process(got));
        assertTrue(process.getMessage().contains("no scheduler"), process.getMessage());
        ConfigurationException poller = assertThrows(ConfigurationException.class,
                () -> io.fifoactors.core.runtime.Poller.builder().system(producer).build());
        assertTrue(poller.getMessage().contains("no scheduler"), poller.getMessage());
        // a consumer with a scheduler processes what the producer sent
        assertEquals(1, system().build().process(got).succeeded().size());
    }

    @Test
    void anExpiredReceiptIsNotAcknowledgedAndTheMessageComesBack() {
        ActorSystem s = system().build();
        s.tell(Recorder.REC.ref("a"), new Recorder.Append("1"), "m-1");
        List<Delivery> got = mailbox.receive(10, Duration.ofSeconds(30), Duration.ZERO);
        s.process(got);
        clock.advance(Duration.ofSeconds(31));
        assertEquals(got, mailbox.acknowledge(got), "SQS FIFO refuses an expired receipt");
        List<Delivery> again = mailbox.receive(10, Duration.ofSeconds(30), Duration.ZERO);
        assertEquals(1, again.size());
        BatchOutcome dup = s.process(again);
        assertEquals(1, dup.succeeded().size(), "recognised as applied");
        assertEquals(List.of("1"), log("a"));
        assertTrue(new ArrayList<>(mailbox.acknowledge(again)).isEmpty());
    }
}
