package io.fifoactors.metrics.micrometer;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.core.VersionConflictException;
import io.fifoactors.core.port.Consistency;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.ForwardingMailbox;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.BatchOutcome.RetryCause;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.Poller;
import io.fifoactors.core.runtime.RuntimeEvent;
import io.fifoactors.inmemory.InMemoryMailbox;
import io.fifoactors.inmemory.InMemoryStateStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Micrometer binding on a {@link Poller} over the in-memory adapter (real time; waits on latches, never sleeps):
 * applied, rejected, duplicate, retried and dead-lettered messages, a lost version race and a failed
 * acknowledgement each land on their meter with the right count, and the poller's own meters agree with
 * {@link Poller#stats()}.
 */
class MicrometerConsumerMetricsTest {
    // ------------------------------------------------------------------------------------------------ the actor

    sealed interface Cmd {
    }

    record Deposit(long amount) implements Cmd {
    }

    /** Rejected if the balance is short. */
    record Withdraw(long amount) implements Cmd {
    }

    /** Fails on its first receive, then deposits. */
    record Flaky(long amount) implements Cmd {
    }

    /** Fails, always. */
    record Poison() implements Cmd {
    }

    static final ActorType<Long, Cmd> ACCOUNT = ActorType.builder("account", Long.class, Cmd.class)
            .initialState(id -> 0L)
            .on(Deposit.class, (b, d, ctx) -> Effect.persist(b + d.amount()))
            .on(Withdraw.class, (b, w, ctx) -> b < w.amount() ? Effect.reject("insufficient funds")
                    : Effect.persist(b - w.amount()))
            .on(Flaky.class, (b, f, ctx) -> {
                if (ctx.metadata().receiveCount() == 1) {
                    throw new IllegalStateException("flaky");
                }
                return Effect.persist(b + f.amount());
            })
            .on(Poison.class, (b, p, ctx) -> {
                throw new IllegalStateException("poison");
            })
            .build();

    // ------------------------------------------------------------------------------------------------ faults

    /**
     * Fails the first acknowledgement that includes message {@code ackFailsFor}: the others of the call are
     * acknowledged, that one is lost and visible again at once (instead of after its visibility timeout).
     */
    private static final class LosingAcks extends ForwardingMailbox {
        final String ackFailsFor;
        final AtomicBoolean failed = new AtomicBoolean();

        LosingAcks(InMemoryMailbox inner, String ackFailsFor) {
            super(inner);
            this.ackFailsFor = ackFailsFor;
        }

        @Override
        public List<Delivery> acknowledge(List<Delivery> deliveries) {
            if (deliveries.stream().anyMatch(d -> d.messageId().equals(ackFailsFor)) && failed.compareAndSet(false,
                    true)) {
                delegate().acknowledge(deliveries.stream().filter(d -> !d.messageId().equals(ackFailsFor)).toList());
                delegate().retryAfter(deliveries.stream().filter(d -> d.messageId().equals(ackFailsFor)).toList(),
                        Duration.ZERO);
                throw new IllegalStateException("simulated acknowledgement failure");
            }
            return super.acknowledge(deliveries);
        }
    }

    /** Loses the first commit of actor {@code racy} to a (simulated) other consumer. */
    private static final class LosingOneRace implements StateStore {
        final InMemoryStateStore inner = InMemoryStateStore.create();
        final ActorId racy;
        final AtomicBoolean lost = new AtomicBoolean();

        LosingOneRace(ActorId racy) {
            this.racy = racy;
        }

        @Override
        public Optional<StoredRecord> load(ActorId id) {
            return inner.load(id);
        }

        @Override
        public Map<ActorId, StoredRecord> loadAll(Collection<ActorId> ids, Consistency consistency) {
            return inner.loadAll(ids, consistency);
        }

        @Override
        public void commit(ActorId id, long expectedVersion, StoredRecord next) {
            if (id.equals(racy) && lost.compareAndSet(false, true)) {
                throw new VersionConflictException(id, expectedVersion);
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

    // ------------------------------------------------------------------------------------------------ helpers

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double count(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        assertTrue(c != null, "no counter " + name + " " + List.of(tags) + " in " + names());
        return c.count();
    }

    private Set<String> names() {
        return registry.getMeters().stream().map(m -> m.getId().getName()).collect(Collectors.toCollection(
                java.util.TreeSet::new));
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    void aPollerReportsEveryOutcomeEventAndBatchOnItsMeter() throws Exception {
        InMemoryMailbox memory = InMemoryMailbox.builder().clock(Clock.systemUTC()).noRedrive().build();
        LosingAcks mailbox = new LosingAcks(memory, "dup-1");
        MicrometerConsumerMetrics metrics = MicrometerConsumerMetrics.create(registry, Tags.of("poller", "test"));
        // settled: 6 applied (4 deposits, the duplicate's first delivery, the flaky one's second), 1 rejected,
        // 1 duplicate, 1 dead-lettered
        CountDownLatch settled = new CountDownLatch(9);
        AtomicInteger retriedOutcomes = new AtomicInteger();
        ActorSystem system = ActorSystem.builder().register(ACCOUNT)
                .stateStore(new LosingOneRace(ACCOUNT.id("racy"))).mailbox(mailbox).scheduler(memory.scheduler())
                .messageKeys(MessageKeys.forSimulation(9)).maxAttempts(2)
                .listener(new io.fifoactors.core.runtime.OutcomeListener() {
                    @Override
                    public void onOutcome(Outcome o) {
                        metrics.onOutcome(o); // the binding, behind a test probe
                        if (o.kind() == Outcome.Kind.RETRIED) {
                            retriedOutcomes.incrementAndGet();
                        } else {
                            settled.countDown();
                        }
                    }

                    @Override
                    public void onEvent(RuntimeEvent e) {
                        metrics.onEvent(e);
                    }
                }).build();

        // sent before the poller starts, so the first batch has waited; the poller's clock runs 42 s ahead of the
        // mailbox's, which makes every message look at least 42 s old: the backlog age is that, give or take
        for (int i = 0; i < 3; i++) {
            system.tell(ACCOUNT.ref("a" + i), new Deposit(10), "dep-" + i);
        }
        system.tell(ACCOUNT.ref("racy"), new Deposit(5), "dep-racy");
        system.tell(ACCOUNT.ref("a0"), new Withdraw(100), "wd-1");
        system.tell(ACCOUNT.ref("d"), new Deposit(1), "dup-1");
        system.tell(ACCOUNT.ref("f"), new Flaky(7), "flaky-1");
        system.tell(ACCOUNT.ref("p"), new Poison(), "poison-1");

        Poller poller = Poller.builder().system(system).metrics(metrics).consumers(2)
                .waitTime(Duration.ofMillis(100)).retryDelay(Duration.ZERO)
                .clock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(42))).build();
        poller.start();
        try {
            assertTrue(settled.await(30, TimeUnit.SECONDS), "not all settled: " + poller.stats());
        } finally {
            assertTrue(poller.shutdown(Duration.ofSeconds(10)));
        }
        assertEquals(10L, system.inspect(ACCOUNT, "a0").state(), "a0 kept its 10: the withdrawal was refused");
        assertEquals(5L, system.inspect(ACCOUNT, "racy").state(), "applied once, after the lost race");
        assertEquals(1L, system.inspect(ACCOUNT, "d").state(), "applied once, the redelivery skipped");
        assertEquals(1, memory.deadLetters().size());

        // outcomes (the Lambda handler's Processed, Rejected, DuplicatesSkipped, Retried, DeadLettered)
        assertEquals(6, count(MicrometerConsumerMetrics.MESSAGES, "outcome", "applied", "poller", "test"));
        assertEquals(1, count(MicrometerConsumerMetrics.MESSAGES, "outcome", "rejected"));
        assertEquals(1, count(MicrometerConsumerMetrics.MESSAGES, "outcome", "duplicate"));
        assertEquals(1, count(MicrometerConsumerMetrics.MESSAGES, "outcome", "dead_lettered"));
        assertEquals(retriedOutcomes.get(), count(MicrometerConsumerMetrics.MESSAGES, "outcome", "retried"));
        assertEquals(2, retriedOutcomes.get(), "the flaky and the poison message failed once each before");
        for (String none : List.of("deferred", "stale", "held", "parked")) {
            assertEquals(0, count(MicrometerConsumerMetrics.MESSAGES, "outcome", none), none);
        }
        // events (VersionConflicts)
        assertEquals(1, count(MicrometerConsumerMetrics.EVENTS, "event", "version_conflict"));
        assertEquals(0, count(MicrometerConsumerMetrics.EVENTS, "event", "port_failure"));

        // the poller's meters agree with its own counters
        Poller.Stats stats = poller.stats();
        assertEquals(1, count(MicrometerConsumerMetrics.PORT_FAILURES, "operation", "acknowledge"));
        assertEquals(1, stats.portFailures("acknowledge"));
        assertEquals(2, count(MicrometerConsumerMetrics.RETRIED, "cause", "handler_failed"));
        for (RetryCause c : RetryCause.values()) {
            assertEquals(stats.retried(c), count(MicrometerConsumerMetrics.RETRIED, "cause",
                    c.name().toLowerCase(java.util.Locale.ROOT)), c.name());
        }
        assertEquals(stats.succeeded(), count(MicrometerConsumerMetrics.SUCCEEDED));
        assertEquals(9, stats.succeeded(), "11 deliveries, of which the flaky and the poison message's first two"
                + " were retried");
        assertEquals(11, stats.messages());
        Timer batches = registry.find(MicrometerConsumerMetrics.BATCH_DURATION).timer();
        DistributionSummary sizes = registry.find(MicrometerConsumerMetrics.BATCH_SIZE).summary();
        assertEquals(stats.batches(), batches.count());
        assertEquals(stats.batches(), sizes.count());
        assertEquals(stats.messages(), (long) sizes.totalAmount());
        assertEquals(stats.receives() - stats.emptyReceives(), count(MicrometerConsumerMetrics.RECEIVES,
                "result", "messages"));
        assertEquals(stats.emptyReceives(), count(MicrometerConsumerMetrics.RECEIVES, "result", "empty"));
        assertEquals(stats.messages(), count(MicrometerConsumerMetrics.RECEIVED), "no holds: each received once");

        // backlog age: one record per non-empty receive, every one at least the 42 s the clocks are apart
        Timer age = registry.find(MicrometerConsumerMetrics.MESSAGE_AGE).timer();
        assertEquals(stats.receives() - stats.emptyReceives(), age.count());
        assertTrue(age.max(TimeUnit.SECONDS) >= 42 && age.max(TimeUnit.SECONDS) < 42 + 30, age.max(TimeUnit.SECONDS)
                + " s");
        assertTrue(age.totalTime(TimeUnit.SECONDS) >= 42.0 * age.count());
        double last = registry.find(MicrometerConsumerMetrics.MESSAGE_AGE_LAST).gauge().value();
        assertTrue(last >= 42 && last < 42 + 30, last + " s");
        assertEquals(0, count(MicrometerConsumerMetrics.STALE_ACKNOWLEDGEMENTS));
        assertEquals(0, count(MicrometerConsumerMetrics.HOLDING));
        // every meter carries the given tag
        for (Meter m : registry.getMeters()) {
            assertEquals("test", m.getId().getTag("poller"), m.getId().toString());
        }
    }

    @Test
    void eachCallLandsOnItsMeterAndNothingElse() {
        MicrometerConsumerMetrics m = MicrometerConsumerMetrics.create(registry);
        m.batch(7, Duration.ofMillis(250), 5, 2);
        m.retried(RetryCause.INFRASTRUCTURE, 2);
        m.received(7);
        m.received(0);
        m.messageAge(Duration.ofSeconds(90));
        m.portFailure("receive");
        m.portFailure("receive");
        m.portFailure("retry");
        m.staleAcknowledgements(3);
        m.holding(4);
        m.holding(4);
        m.heartbeats(6);
        m.onOutcome(new Outcome("account/a", "m-1", Outcome.Kind.PARKED, "handler failed", 5));
        m.onEvent(new RuntimeEvent("account/a", RuntimeEvent.Kind.HANDLER_TIMEOUT, "slow"));

        Timer batch = registry.find(MicrometerConsumerMetrics.BATCH_DURATION).timer();
        assertEquals(1, batch.count());
        assertEquals(250, batch.totalTime(TimeUnit.MILLISECONDS), 0.001);
        assertEquals(7, registry.find(MicrometerConsumerMetrics.BATCH_SIZE).summary().totalAmount());
        assertEquals(5, count(MicrometerConsumerMetrics.SUCCEEDED));
        assertEquals(2, count(MicrometerConsumerMetrics.RETRIED, "cause", "infrastructure"));
        assertEquals(0, count(MicrometerConsumerMetrics.RETRIED, "cause", "handler_failed"));
        assertEquals(1, count(MicrometerConsumerMetrics.RECEIVES, "result", "messages"));
        assertEquals(1, count(MicrometerConsumerMetrics.RECEIVES, "result", "empty"));
        assertEquals(7, count(MicrometerConsumerMetrics.RECEIVED));
        assertEquals(90, registry.find(MicrometerConsumerMetrics.MESSAGE_AGE).timer().max(TimeUnit.SECONDS));
        assertEquals(90.0, registry.find(MicrometerConsumerMetrics.MESSAGE_AGE_LAST).gauge().value());
        assertEquals(2, count(MicrometerConsumerMetrics.PORT_FAILURES, "operation", "receive"));
        assertEquals(1, count(MicrometerConsumerMetrics.PORT_FAILURES, "operation", "retry"));
        assertEquals(3, count(MicrometerConsumerMetrics.STALE_ACKNOWLEDGEMENTS));
        assertEquals(8, count(MicrometerConsumerMetrics.HOLDING));
        assertEquals(6, count(MicrometerConsumerMetrics.HEARTBEATS));
        assertEquals(1, count(MicrometerConsumerMetrics.MESSAGES, "outcome", "parked"));
        assertEquals(0, count(MicrometerConsumerMetrics.MESSAGES, "outcome", "applied"));
        assertEquals(1, count(MicrometerConsumerMetrics.EVENTS, "event", "handler_timeout"));
        // every outcome kind, event kind and retry cause has its meter from the start (dashboards see zeros)
        assertEquals(Outcome.Kind.values().length, registry.find(MicrometerConsumerMetrics.MESSAGES).counters()
                .size());
        assertEquals(RuntimeEvent.Kind.values().length, registry.find(MicrometerConsumerMetrics.EVENTS).counters()
                .size());
        assertEquals(RetryCause.values().length, registry.find(MicrometerConsumerMetrics.RETRIED).counters().size());
    }
}
