package io.fifoactors.inmemory;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.PoisonPolicy;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.BatchOutcome;
import io.fifoactors.core.runtime.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The record cache saves reads when actors come back, and a stale entry costs a lost race, never an effect. */
class RecordCacheTest {
    private final VirtualClock clock = VirtualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryMailbox queue = InMemoryMailbox.builder().clock(clock).build();
    private final InMemoryStateStore shared = InMemoryStateStore.create();
    private final CountingStore store = new CountingStore(shared);
    private final List<Outcome> outcomes = new ArrayList<>();
    private final ActorSystem cached = ActorSystem.builder().register(Recorder.type("rec", PoisonPolicy.DEAD_LETTER))
            .stateStore(store).mailbox(queue).clock(clock).recordCache(100)
            .listener(o -> {
                synchronized (outcomes) {
                    outcomes.add(o);
                }
            }).build();
    // another consumer of the same queue and table, without a cache
    private final ActorSystem other = ActorSystem.builder().register(Recorder.type("rec", PoisonPolicy.DEAD_LETTER))
            .stateStore(shared).mailbox(queue).clock(clock).build();

    @Test
    void actorsThatComeBackAreNotReadAgain() {
        for (int round = 0; round < 3; round++) {
            for (String k : List.of("a", "b", "c")) {
                cached.send(id(k), new Recorder.Append(k + round), "p-" + k + round);
            }
            BatchOutcome r = cached.processAndSettle(receive(), Duration.ZERO);
            assertEquals(3, r.succeeded().size());
        }
        assertEquals(1, store.batchReads.get(), "only the first batch reads");
        assertEquals(0, store.singleReads.get());
        assertEquals(List.of("a0", "a1", "a2"), log("a"));
    }

    @Test
    void aStaleEntryLosesItsRaceReloadsAndAppliesOnce() {
        cached.send(id("a"), new Recorder.Append("a0"), "p-0");
        cached.processAndSettle(receive(), Duration.ZERO);
        // another consumer moves the actor on; this instance's cached record is now behind
        cached.send(id("a"), new Recorder.Append("a1"), "p-1");
        other.processAndSettle(receive(), Duration.ZERO);
        cached.send(id("a"), new Recorder.Forward("a2", "x"), "p-2");

        BatchOutcome r = cached.processAndSettle(receive(), Duration.ZERO);

        assertEquals(1, r.succeeded().size());
        assertTrue(outcomes.stream().anyMatch(o -> o.kind() == Outcome.Kind.VERSION_CONFLICT
                && o.detail().contains("cached record was stale")), outcomes.toString());
        assertEquals(List.of("a0", "a1", "a2"), log("a"));
        cached.processAndSettle(receive(), Duration.ZERO);
        assertEquals(List.of("from a: a2"), log("x"), "the forward decided on the stale record was never sent");
        assertEquals(0, queue.size());
    }

    @Test
    void aRunThatWritesNothingDoesNotTrustTheCacheAndSendsAnOutboxStrandedByRedrive() {
        // a queue that redrives on the second receive, shared by this cached instance and another consumer
        InMemoryMailbox redriving = InMemoryMailbox.builder().clock(clock).maxReceiveCount(1).build();
        SendSpy flaky = new SendSpy(redriving);
        ActorSystem withCache = ActorSystem.builder().register(Recorder.type("rec", PoisonPolicy.DEAD_LETTER))
                .stateStore(shared).mailbox(redriving).clock(clock).recordCache(100).build();
        ActorSystem plain = ActorSystem.builder().register(Recorder.type("rec", PoisonPolicy.DEAD_LETTER))
                .stateStore(shared).mailbox(flaky).clock(clock).build();
        withCache.send(id("a"), new Recorder.Append("a0"), "p-0");
        withCache.processAndSettle(redriving.receive(10, Duration.ofSeconds(30), Duration.ZERO), Duration.ZERO);

        // the other consumer applies a forward, then fails to send it; the queue then redrives the message
        plain.send(id("a"), new Recorder.Forward("a1", "x"), "p-1");
        flaky.failNextSend = true;
        BatchOutcome failed = plain.processAndSettle(redriving.receive(10, Duration.ofSeconds(30), Duration.ZERO),
                Duration.ZERO);
        assertEquals(1, failed.failed().size());
        assertEquals(List.of(), redriving.receive(10, Duration.ofSeconds(30), Duration.ZERO), "redriven");
        assertEquals(1, redriving.deadLetters().size());

        // the cached instance's copy of a is now stale and has no outbox; a wake changes nothing and writes nothing
        withCache.wake(id("a"), "wake-1");
        withCache.processAndSettle(redriving.receive(10, Duration.ofSeconds(30), Duration.ZERO), Duration.ZERO);
        withCache.processAndSettle(redriving.receive(10, Duration.ofSeconds(30), Duration.ZERO), Duration.ZERO);

        assertEquals(List.of("a0", "a1"), log("a"));
        assertEquals(List.of("from a: a1"), log("x"), "the stranded forward was sent");
    }

    private List<io.fifoactors.core.port.Delivery> receive() {
        return queue.receive(10, Duration.ofSeconds(30), Duration.ZERO);
    }

    private List<String> log(String key) {
        return other.inspect(id(key), Recorder.Log.class).state().entries();
    }

    private static ActorId id(String key) {
        return ActorId.of("rec", key);
    }

    private static final class CountingStore implements StateStore {
        private final StateStore delegate;
        final AtomicInteger singleReads = new AtomicInteger();
        final AtomicInteger batchReads = new AtomicInteger();

        CountingStore(StateStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<StoredRecord> load(ActorId id) {
            singleReads.incrementAndGet();
            return delegate.load(id);
        }

        @Override
        public Map<ActorId, StoredRecord> loadAll(Collection<ActorId> ids) {
            batchReads.incrementAndGet();
            return delegate.loadAll(ids);
        }

        @Override
        public void commit(ActorId id, long expectedVersion, StoredRecord next) {
            delegate.commit(id, expectedVersion, next);
        }
    }
}
