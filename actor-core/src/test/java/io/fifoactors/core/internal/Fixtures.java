package io.fifoactors.core.internal;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.core.PoisonPolicy;
import io.fifoactors.core.codec.JacksonCodec;
import io.fifoactors.core.port.Consistency;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.RedrivePolicy;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.core.runtime.OutcomeListener;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A counter actor and settings whose ports fail if called: the decision must do no I/O. */
final class Fixtures {
    sealed interface Msg {
    }

    record Add(long n) implements Msg {
    }

    record Boom(String why) implements Msg {
    }

    record Later(String key, long delayMillis) implements Msg {
    }

    record Ring(String key) implements Msg {
    }

    record Cancel(String key) implements Msg {
    }

    record WaitFor(long atLeast) implements Msg {
    }

    record Tell(String to, long n) implements Msg {
    }

    record Counter(long value, List<String> rang) {
        Counter plus(long n) {
            return new Counter(value + n, rang);
        }

        Counter ring(String key) {
            List<String> r = new ArrayList<>(rang);
            r.add(key);
            return new Counter(value, List.copyOf(r));
        }
    }

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static ActorType<Counter, Msg> counter(PoisonPolicy policy, int maxTimers) {
        return ActorType.builder("counter", Counter.class, Msg.class)
                .initialState(id -> new Counter(0, List.of()))
                .poisonPolicy(policy)
                .maxTimers(maxTimers)
                .on(Add.class, (c, a, ctx) -> Effect.persist(c.plus(a.n())))
                .on(Boom.class, (c, b, ctx) -> {
                    throw new IllegalStateException(b.why());
                })
                .on(Later.class, (c, l, ctx) -> Effect.none(ctx.startTimer(l.key(), Duration.ofMillis(l.delayMillis()),
                        new Ring(l.key()))))
                .on(Ring.class, (c, r, ctx) -> Effect.persist(c.ring(r.key())))
                .on(Cancel.class, (c, x, ctx) -> Effect.none(ctx.cancelTimer(x.key())))
                .on(WaitFor.class, (c, w, ctx) -> c.value() >= w.atLeast() ? Effect.none()
                        : Effect.defer(ctx.metadata().enqueuedAt().plus(Duration.ofMinutes(10))))
                .on(Tell.class, (c, t, ctx) -> Effect.none(COUNTER.ref(t.to()).tell(new Add(t.n()))))
                .build();
    }

    static final ActorType<Counter, Msg> COUNTER = counter(PoisonPolicy.DEAD_LETTER, 16);
    static final MessageKeys KEYS = MessageKeys.forSimulation(7);
    static final ActorId A = COUNTER.id("a");

    static Settings settings(ActorType<?, ?> type, Clock clock) {
        return new Settings(Map.of(type.name(), type), NO_STORE, NO_MAILBOX, Optional.empty(), clock,
                JacksonCodec.create(), KEYS, 3, 5, 5, 16, Duration.ofMinutes(4), Duration.ofDays(14), 3,
                Consistency.EVENTUAL, 0, 1000, Optional.empty(), OutcomeListener.NONE, () -> 42L);
    }

    static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    /** A delivery of an external message (a producer's). */
    static Delivery external(long seq, Object message, int receiveCount) {
        String type = message.getClass().getSimpleName();
        byte[] body = JacksonCodec.create().encode(message);
        return new Delivery("m-" + seq, A.groupId(), seqOf(seq), receiveCount, T0, Map.of(Envelope.TYPE, type),
                body, "r-" + seq);
    }

    /** A delivery of a message actor {@code from} sent with its sequence {@code senderSeq}, committed at {@code at}. */
    static Delivery fromActor(long seq, ActorId from, long senderSeq, Instant committedAt, Instant sentAt,
                              Object message) {
        OutgoingMessage m = Outbound.message(from, Outbound.idPrefix(from), new OutboxEntry.Message(senderSeq,
                committedAt.toEpochMilli(), A.groupId(), message.getClass().getSimpleName(),
                JacksonCodec.create().encode(message)), KEYS);
        return new Delivery(m.messageId(), A.groupId(), seqOf(seq), 1, sentAt, m.attributes(), m.body(), "r-" + seq);
    }

    static Delivery raw(long seq, Map<String, String> attributes, String body) {
        return new Delivery("m-" + seq, A.groupId(), seqOf(seq), 1, T0, attributes,
                body.getBytes(StandardCharsets.UTF_8), "r-" + seq);
    }

    static String seqOf(long seq) {
        return Long.toString(1_000_000 + seq);
    }

    static List<Inbound> parse(Delivery... ds) {
        List<Inbound> out = new ArrayList<>();
        for (Delivery d : ds) {
            out.add(Inbound.parse(d, KEYS));
        }
        return out;
    }

    static Working fresh() {
        return new Working(0, new Counter(0, List.of()), new Control());
    }

    private static final StateStore NO_STORE = new StateStore() {
        @Override
        public Optional<StoredRecord> load(ActorId id) {
            throw new AssertionError("the decision read the store");
        }

        @Override
        public Map<ActorId, StoredRecord> loadAll(Collection<ActorId> ids, Consistency consistency) {
            throw new AssertionError("the decision read the store");
        }

        @Override
        public void commit(ActorId id, long expectedVersion, StoredRecord next) {
            throw new AssertionError("the decision wrote the store");
        }

        @Override
        public void putArchive(ActorId id, String chunkId, byte[] data, Instant expiresAt) {
            throw new AssertionError("the decision wrote the store");
        }

        @Override
        public Optional<byte[]> loadArchive(ActorId id, String chunkId) {
            throw new AssertionError("the decision read the store");
        }
    };

    private static final Mailbox NO_MAILBOX = new Mailbox() {
        @Override
        public void send(List<OutgoingMessage> messages) {
            throw new AssertionError("the decision sent");
        }

        @Override
        public List<Delivery> receive(int maxMessages, Duration visibilityTimeout, Duration waitTime) {
            throw new AssertionError("the decision received");
        }

        @Override
        public List<Delivery> acknowledge(List<Delivery> deliveries) {
            throw new AssertionError("the decision acknowledged");
        }

        @Override
        public void retryAfter(List<Delivery> deliveries, Duration delay) {
            throw new AssertionError("the decision released");
        }

        @Override
        public void extendVisibility(List<Delivery> deliveries, Duration visibility) {
            throw new AssertionError("the decision extended");
        }

        @Override
        public void deadLetter(DeadLetter letter) {
            throw new AssertionError("the decision dead-lettered");
        }

        @Override
        public RedrivePolicy redrivePolicy() {
            return RedrivePolicy.none();
        }
    };

    private Fixtures() {
    }
}
