package io.fifoactors.sqs;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.core.VersionConflictException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Tiny fakes of the core ports for {@link SqsPollerTest}: a scripted mailbox that records every call, a map-backed
 * state store, a settable clock and a test actor whose handler can be held at a gate. No sleeping: waits are on
 * conditions with a timeout.
 */
final class PollerFakes {
    private PollerFakes() {
    }

    // ------------------------------------------------------------------------------------------------ test actor

    sealed interface Msg permits Work {
    }

    /** Counted by the test actor; tags starting with "fail" make the handler throw. */
    record Work(String tag) implements Msg {
    }

    record Counter(long count, List<String> tags) {
        static final Counter EMPTY = new Counter(0, List.of());
    }

    /** Handlers of messages with these tags wait at their gate. */
    static final Map<String, Gate> GATES = new ConcurrentHashMap<>();

    static final ActorType<Counter, Msg> COUNTER = ActorType.builder("counter", Counter.class, Msg.class)
            .initialState(id -> Counter.EMPTY)
            .handler((state, message, ctx) -> {
                Work w = (Work) message;
                if (w.tag().startsWith("fail")) {
                    throw new IllegalStateException("failing on purpose: " + w.tag());
                }
                Gate gate = GATES.get(w.tag());
                if (gate != null) {
                    gate.pass();
                }
                List<String> tags = new ArrayList<>(state.tags());
                tags.add(w.tag());
                return Effect.persist(new Counter(state.count() + 1, tags));
            })
            .build();

    /** A point a handler waits at until the test opens it. */
    static final class Gate {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);

        void pass() throws InterruptedException {
            entered.countDown();
            if (!open.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate never opened");
            }
        }

        void awaitEntered() throws InterruptedException {
            if (!entered.await(10, TimeUnit.SECONDS)) {
                fail("no handler reached the gate in time");
            }
        }

        static Gate on(String tag) {
            Gate g = new Gate();
            GATES.put(tag, g);
            return g;
        }
    }

    private static final AtomicLong SEQUENCE = new AtomicLong(1000);

    /** A first delivery of a {@link Work} message to {@code counter/<key>}. */
    static Delivery delivery(String key, String tag) {
        return delivery(key, tag, SEQUENCE.incrementAndGet(), 1);
    }

    static Delivery delivery(String key, String tag, long seq, int receiveCount) {
        byte[] body = ("{\"tag\":\"" + tag + "\"}").getBytes(StandardCharsets.UTF_8);
        return new Delivery("m-" + tag, COUNTER.id(key).groupId(), Long.toString(seq), receiveCount,
                Instant.parse("2030-01-01T00:00:00Z"), Map.of("fa-type", "Work"), body,
                "rh-" + tag + "-" + receiveCount);
    }

    // ------------------------------------------------------------------------------------------------ waiting

    /** Waits (parking briefly between checks, never sleeping a fixed time) until the condition holds. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    // ------------------------------------------------------------------------------------------------ mailbox

    /** A release call as the mailbox saw it. */
    record Release(List<Delivery> deliveries, Duration delay) {
    }

    /**
     * A mailbox whose receives return what the test scripted (a batch, or an exception to throw), in order, and an
     * empty list when nothing is scripted. Every call is logged in order; waiting is on the mailbox's monitor.
     */
    static final class ScriptedMailbox implements Mailbox {
        private final List<Object> script = new ArrayList<>();
        private final List<String> log = new ArrayList<>();
        private final List<Delivery> acknowledged = new ArrayList<>();
        private final List<Release> releases = new ArrayList<>();
        private final List<OutgoingMessage> sent = new ArrayList<>();
        private final List<DeadLetter> deadLetters = new ArrayList<>();
        private final List<Long> receiveErrorNanos = new ArrayList<>();
        private final Set<String> held = new LinkedHashSet<>();
        private int maxHeld;
        private int receiveCalls;
        private Duration keepsHeldDelay = Duration.ofSeconds(30);
        private Predicate<Delivery> staleOnAcknowledge = d -> false;
        private RuntimeException acknowledgeFailure;
        private CountDownLatch receiveGate;
        private final CountDownLatch receiveEntered = new CountDownLatch(1);

        synchronized ScriptedMailbox enqueue(Delivery... batch) {
            script.add(List.of(batch));
            notifyAll();
            return this;
        }

        synchronized ScriptedMailbox failReceive(RuntimeException e) {
            script.add(e);
            notifyAll();
            return this;
        }

        /** Releases with this delay are visibility extensions (heartbeats): the message stays held. */
        synchronized void heartbeatDelay(Duration d) {
            keepsHeldDelay = d;
        }

        synchronized void staleOnAcknowledge(Predicate<Delivery> p) {
            staleOnAcknowledge = p;
        }

        synchronized void failNextAcknowledge(RuntimeException e) {
            acknowledgeFailure = e;
        }

        /** Receives wait for {@link #openReceives()} after taking their script entry. */
        synchronized void holdReceives() {
            receiveGate = new CountDownLatch(1);
        }

        void openReceives() {
            CountDownLatch g;
            synchronized (this) {
                g = receiveGate;
            }
            g.countDown();
        }

        void awaitReceiveEntered() throws InterruptedException {
            if (!receiveEntered.await(10, TimeUnit.SECONDS)) {
                fail("no receive call in time");
            }
        }

        @Override
        public List<Delivery> receive(int maxMessages, Duration visibilityTimeout, Duration waitTime) {
            Object next;
            CountDownLatch gate;
            synchronized (this) {
                receiveCalls++;
                long deadline = System.nanoTime() + Math.min(waitTime.toNanos(), TimeUnit.MILLISECONDS.toNanos(50));
                while (script.isEmpty() && System.nanoTime() < deadline) {
                    try {
                        long left = deadline - System.nanoTime();
                        TimeUnit.NANOSECONDS.timedWait(this, Math.max(1, left));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new io.fifoactors.core.TransientFailureException("interrupted");
                    }
                }
                next = script.isEmpty() ? List.of() : script.remove(0);
                gate = receiveGate;
                if (next instanceof RuntimeException) {
                    receiveErrorNanos.add(System.nanoTime());
                    log.add("receive-error");
                    notifyAll();
                }
            }
            receiveEntered.countDown();
            if (gate != null) {
                try {
                    gate.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (next instanceof RuntimeException e) {
                throw e;
            }
            @SuppressWarnings("unchecked")
            List<Delivery> batch = (List<Delivery>) next;
            synchronized (this) {
                if (!batch.isEmpty()) {
                    for (Delivery d : batch) {
                        held.add(d.messageId());
                        log.add("receive " + d.messageId());
                    }
                    maxHeld = Math.max(maxHeld, held.size());
                    notifyAll();
                }
            }
            return batch;
        }

        @Override
        public synchronized List<Delivery> acknowledge(List<Delivery> deliveries) {
            if (acknowledgeFailure != null) {
                RuntimeException e = acknowledgeFailure;
                acknowledgeFailure = null;
                log.add("acknowledge-error");
                notifyAll();
                throw e;
            }
            List<Delivery> stale = new ArrayList<>();
            for (Delivery d : deliveries) {
                if (staleOnAcknowledge.test(d)) {
                    stale.add(d);
                } else {
                    acknowledged.add(d);
                }
                held.remove(d.messageId());
                log.add("acknowledge " + d.messageId());
            }
            notifyAll();
            return stale;
        }

        @Override
        public synchronized void release(List<Delivery> deliveries, Duration delay) {
            releases.add(new Release(List.copyOf(deliveries), delay));
            for (Delivery d : deliveries) {
                if (!delay.equals(keepsHeldDelay)) {
                    held.remove(d.messageId());
                }
                log.add("release " + d.messageId() + " " + delay.toMillis());
            }
            notifyAll();
        }

        @Override
        public synchronized void send(List<OutgoingMessage> messages) {
            sent.addAll(messages);
            notifyAll();
        }

        @Override
        public synchronized void deadLetter(DeadLetter letter) {
            deadLetters.add(letter);
            notifyAll();
        }

        /** Waits on the mailbox until the condition (checked under its lock) holds. */
        synchronized void awaitThat(String what, Supplier<Boolean> condition) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!condition.get()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("timed out waiting until " + what + "; mailbox log: " + log);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted");
                }
            }
        }

        synchronized List<Delivery> acknowledged() {
            return List.copyOf(acknowledged);
        }

        synchronized List<Release> releases() {
            return List.copyOf(releases);
        }

        synchronized List<Release> releasesWith(Duration delay) {
            return releases.stream().filter(r -> r.delay().equals(delay)).toList();
        }

        synchronized List<String> log() {
            return List.copyOf(log);
        }

        synchronized List<Long> receiveErrorNanos() {
            return List.copyOf(receiveErrorNanos);
        }

        synchronized int scripted() {
            return script.size();
        }

        synchronized int maxHeld() {
            return maxHeld;
        }

        synchronized int receiveCalls() {
            return receiveCalls;
        }

        synchronized List<DeadLetter> deadLetters() {
            return List.copyOf(deadLetters);
        }
    }

    // ------------------------------------------------------------------------------------------------ store

    /** A map-backed state store with the version check of the port. */
    static final class MapStateStore implements StateStore {
        private final Map<ActorId, StoredRecord> records = new ConcurrentHashMap<>();
        private final AtomicLong commits = new AtomicLong();

        @Override
        public Optional<StoredRecord> load(ActorId id) {
            return Optional.ofNullable(records.get(id));
        }

        @Override
        public synchronized void commit(ActorId id, long expectedVersion, StoredRecord next) {
            StateStore.checkCommit(id, expectedVersion, next);
            StoredRecord now = records.get(id);
            long current = now == null ? 0 : now.version();
            if (current != expectedVersion) {
                throw new VersionConflictException(id, expectedVersion);
            }
            records.put(id, next);
            commits.incrementAndGet();
        }

        long commits() {
            return commits.get();
        }

        boolean has(ActorId id) {
            return records.containsKey(id);
        }
    }

    // ------------------------------------------------------------------------------------------------ clock

    /** A clock the test moves by hand. */
    static final class SettableClock extends Clock {
        private final AtomicReference<Instant> now;

        SettableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void advance(Duration d) {
            now.updateAndGet(i -> i.plus(d));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
