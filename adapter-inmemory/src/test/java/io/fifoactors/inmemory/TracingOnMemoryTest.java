package io.fifoactors.inmemory;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.BatchOutcome;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.core.runtime.MessageTracing;
import io.fifoactors.core.runtime.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime's tracing hook over the in-memory ports, with a recording {@link MessageTracing} (no tracing library):
 * what is carried on the wire, which span each delivery gets, what is current while a handler runs, and that a
 * malformed context, a failing hook or no hook change nothing else.
 */
class TracingOnMemoryTest {
    private static final String PRODUCER = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private final VirtualClock clock = VirtualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryMailbox mailbox = InMemoryMailbox.builder().clock(clock).noRedrive().build();
    private final InMemoryStateStore store = InMemoryStateStore.builder().clock(clock).build();

    // ------------------------------------------------------------------------------------------------ the actor

    sealed interface Msg {
    }

    /** Records the span current in the handler, then passes the rest of the route on (nothing if it is empty). */
    record Hop(List<String> route) implements Msg {
    }

    /** Fails, always. */
    record Poison() implements Msg {
    }

    /** What handlers saw as the current span (the fake's thread-local), in order. */
    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    static final ActorType<Integer, Msg> NODE = ActorType.builder("node", Integer.class, Msg.class)
            .initialState(id -> 0)
            .on(Hop.class, (n, h, ctx) -> {
                SEEN.add(ctx.self().id().key() + " in " + Recording.CURRENT.get());
                if (h.route().isEmpty()) {
                    return Effect.persist(n + 1);
                }
                ActorRef<Msg> next = ActorRef.unchecked(ActorId.of("node", h.route().get(0)));
                return Effect.persist(n + 1, next.tell(new Hop(h.route().subList(1, h.route().size()))));
            })
            .on(Poison.class, (n, p, ctx) -> {
                throw new IllegalStateException("poison");
            })
            .build();

    // ------------------------------------------------------------------------------------------------ the fake

    /** A tracing hook that records every call; span ids count up, the trace id is the parent's or a new one. */
    static final class Recording implements MessageTracing {
        static final ThreadLocal<String> CURRENT = new ThreadLocal<>();
        final AtomicInteger ids = new AtomicInteger();
        final List<Span> spans = new CopyOnWriteArrayList<>();
        volatile String producerContext;

        final class Span implements DeliverySpan {
            final HandledMessage message;
            final String traceparent;
            final List<Outcome> ends = new CopyOnWriteArrayList<>();
            final AtomicInteger opened = new AtomicInteger();
            final AtomicInteger closed = new AtomicInteger();

            Span(HandledMessage message) {
                this.message = message;
                String trace = message.traceparent().map(t -> t.substring(3, 35))
                        .orElse(String.format("%032x", 0xabc000L + ids.incrementAndGet()));
                this.traceparent = "00-" + trace + "-" + String.format("%016x", 0x100L + ids.incrementAndGet()) + "-01";
            }

            @Override
            public Optional<String> traceparent() {
                return Optional.of(traceparent);
            }

            @Override
            public Scope makeCurrent() {
                opened.incrementAndGet();
                String before = CURRENT.get();
                CURRENT.set(message.actorId());
                return () -> {
                    closed.incrementAndGet();
                    CURRENT.set(before);
                };
            }

            @Override
            public void end(Outcome outcome) {
                ends.add(outcome);
            }
        }

        @Override
        public Optional<String> currentTraceparent() {
            return Optional.ofNullable(producerContext);
        }

        @Override
        public DeliverySpan start(HandledMessage message) {
            Span s = new Span(message);
            spans.add(s);
            return s;
        }

        Span of(String actorId) {
            List<Span> found = spans.stream().filter(s -> s.message.actorId().equals(actorId)).toList();
            assertEquals(1, found.size(), "spans of " + actorId + ": " + found.size());
            return found.get(0);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private ActorSystem system(MessageTracing tracing) {
        ActorSystem.Builder b = ActorSystem.builder().register(NODE).stateStore(store).mailbox(mailbox)
                .scheduler(mailbox.scheduler()).clock(clock).messageKeys(MessageKeys.forSimulation(1))
                .inlineGroups().maxAttempts(1);
        if (tracing != null) {
            b.tracing(tracing);
        }
        return b.build();
    }

    /** Receives and processes batches until the mailbox is empty; returns every delivery received, in order. */
    private List<Delivery> drain(ActorSystem s) {
        List<Delivery> seen = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            List<Delivery> batch = mailbox.receive(10, Duration.ofSeconds(30), Duration.ZERO);
            if (batch.isEmpty()) {
                return seen;
            }
            seen.addAll(batch);
            BatchOutcome r = s.process(batch);
            mailbox.acknowledge(r.succeeded());
            assertTrue(r.retries().isEmpty(), "nothing is retried here: " + r.retries());
        }
        throw new AssertionError("the mailbox did not drain");
    }

    private static Delivery at(List<Delivery> deliveries, String groupId) {
        return deliveries.stream().filter(d -> d.groupId().equals(groupId)).findFirst().orElseThrow();
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    void theProducersContextReachesTheFirstActorAndEachActorsSpanIsTheParentOfTheNext() {
        SEEN.clear();
        Recording tracing = new Recording();
        ActorSystem s = system(tracing);
        tracing.producerContext = PRODUCER;
        s.tell(NODE.ref("a"), new Hop(List.of("b", "c")), "p-1");
        tracing.producerContext = null;

        List<Delivery> deliveries = drain(s);
        assertEquals(3, deliveries.size());
        Recording.Span a = tracing.of("node/a");
        Recording.Span b = tracing.of("node/b");
        Recording.Span c = tracing.of("node/c");
        assertEquals(3, tracing.spans.size());

        // on the wire: the producer's context to a, a's span's to b, b's to c
        assertEquals(PRODUCER, at(deliveries, "node/a").attributes().get(Envelope.TRACEPARENT));
        assertEquals(a.traceparent, at(deliveries, "node/b").attributes().get(Envelope.TRACEPARENT));
        assertEquals(b.traceparent, at(deliveries, "node/c").attributes().get(Envelope.TRACEPARENT));
        // and the runtime's own attributes are unchanged beside it
        assertEquals(Set.of(Envelope.TYPE, Envelope.FROM, Envelope.AUTH, Envelope.TRACEPARENT),
                at(deliveries, "node/b").attributes().keySet());

        // the spans: parents, one trace, what the runtime knows of each delivery
        assertEquals(Optional.of(PRODUCER), a.message.traceparent());
        assertEquals(Optional.of(a.traceparent), b.message.traceparent());
        assertEquals(Optional.of(b.traceparent), c.message.traceparent());
        String trace = PRODUCER.substring(3, 35);
        for (Recording.Span span : List.of(a, b, c)) {
            assertEquals(trace, span.traceparent.substring(3, 35));
            assertEquals("node", span.message.actorType());
            assertEquals("Hop", span.message.messageType());
            assertEquals(1, span.message.receiveCount());
            assertEquals(1, span.ends.size(), "ended once");
            assertEquals(Outcome.Kind.APPLIED, span.ends.get(0).kind());
            assertEquals(span.message.messageId(), span.ends.get(0).messageId());
            assertEquals(1, span.opened.get(), "current while its handler ran");
            assertEquals(1, span.closed.get(), "and no longer after");
        }
        assertEquals("p-1", a.message.messageId());
        assertEquals(List.of("a in node/a", "b in node/b", "c in node/c"), SEEN);
        assertNull(Recording.CURRENT.get(), "nothing left current on the thread");
    }

    @Test
    void eachOfOneActorsDeliveriesInABatchPassesItsOwnContextOn() {
        Recording tracing = new Recording();
        ActorSystem s = system(tracing);
        List<String> producers = List.of(PRODUCER, "00-11111111111111111111111111111111-2222222222222222-01",
                "00-33333333333333333333333333333333-4444444444444444-00");
        for (int i = 0; i < producers.size(); i++) {
            tracing.producerContext = producers.get(i);
            s.tell(NODE.ref("a"), new Hop(List.of("b" + i)), "p-" + i);
        }
        tracing.producerContext = null;
        List<Delivery> first = mailbox.receive(10, Duration.ofSeconds(30), Duration.ZERO);
        assertEquals(3, first.size(), "one batch, one group, three deliveries");
        mailbox.acknowledge(s.process(first).succeeded());
        List<Delivery> rest = drain(s);
        List<Recording.Span> as = tracing.spans.stream().filter(sp -> sp.message.actorId().equals("node/a")).toList();
        assertEquals(3, as.size());
        for (int i = 0; i < producers.size(); i++) {
            Recording.Span a = as.get(i);
            assertEquals(Optional.of(producers.get(i)), a.message.traceparent());
            assertEquals(a.traceparent, at(rest, "node/b" + i).attributes().get(Envelope.TRACEPARENT),
                    "b" + i + "'s message carries the context of the delivery that sent it");
            assertEquals(Optional.of(a.traceparent), tracing.of("node/b" + i).message.traceparent());
        }
    }

    @Test
    void aMalformedOrHostileTraceparentIsIgnoredAndTheMessageStillProcessed() {
        Recording tracing = new Recording();
        ActorSystem s = system(tracing);
        byte[] body = "{\"route\":[\"b\"]}".getBytes(StandardCharsets.UTF_8);
        List<String> hostile = List.of("garbage", PRODUCER.toUpperCase(), PRODUCER + "-00",
                "00-00000000000000000000000000000000-b7ad6b7169203331-01", "x".repeat(10_000));
        for (int i = 0; i < hostile.size(); i++) {
            mailbox.send(List.of(new OutgoingMessage("node/a" + i, "raw-" + i,
                    Map.of(Envelope.TYPE, "Hop", Envelope.TRACEPARENT, hostile.get(i)), body)));
        }
        drain(s);
        for (int i = 0; i < hostile.size(); i++) {
            Recording.Span span = tracing.of("node/a" + i);
            assertEquals(Optional.empty(), span.message.traceparent(), "ignored: " + hostile.get(i));
            assertEquals(Outcome.Kind.APPLIED, span.ends.get(0).kind());
            assertEquals(1, s.inspect(NODE, "a" + i).state());
        }
        // each starts a trace of its own, which its message to b carries on
        List<String> roots = tracing.spans.stream().filter(sp -> sp.message.actorId().startsWith("node/a"))
                .map(sp -> sp.traceparent.substring(3, 35)).distinct().toList();
        assertEquals(hostile.size(), roots.size());
        List<Recording.Span> bs = tracing.spans.stream().filter(sp -> sp.message.actorId().equals("node/b")).toList();
        assertEquals(hostile.size(), bs.size());
        for (Recording.Span span : bs) {
            assertTrue(roots.contains(span.message.traceparent().orElseThrow().substring(3, 35)));
        }
        assertEquals(hostile.size(), s.inspect(NODE, "b").state());
        assertTrue(mailbox.deadLetters().isEmpty());
    }

    @Test
    void withoutTracingNoAttributeIsAddedAnywhere() {
        SEEN.clear();
        ActorSystem s = system(null);
        s.tell(NODE.ref("a"), new Hop(List.of("b")), "p-1");
        List<Delivery> deliveries = drain(s);
        assertEquals(Set.of(Envelope.TYPE), at(deliveries, "node/a").attributes().keySet());
        assertEquals(Set.of(Envelope.TYPE, Envelope.FROM, Envelope.AUTH),
                at(deliveries, "node/b").attributes().keySet());
        assertEquals(Map.of(Envelope.TYPE, "Hop"), s.encode(NODE.ref("x").tell(new Hop(List.of())), "m").attributes());
        assertEquals(List.of("a in null", "b in null"), SEEN);
    }

    @Test
    void aProducerWithoutACurrentSpanSendsNoContextButTheActorsSpanIsCarriedOn() {
        Recording tracing = new Recording();
        ActorSystem s = system(tracing);
        s.tell(NODE.ref("a"), new Hop(List.of("b")), "p-1");
        List<Delivery> deliveries = drain(s);
        assertFalse(at(deliveries, "node/a").attributes().containsKey(Envelope.TRACEPARENT));
        assertEquals(Optional.empty(), tracing.of("node/a").message.traceparent());
        assertEquals(tracing.of("node/a").traceparent, at(deliveries, "node/b").attributes().get(Envelope.TRACEPARENT));
    }

    @Test
    void spansEndWithTheOutcomeTheRuntimeReportsAndUnknownTypesAreNotEchoed() {
        Recording tracing = new Recording();
        ActorSystem s = system(tracing);
        s.tell(NODE.ref("p"), new Poison(), "poison-1");
        mailbox.send(List.of(new OutgoingMessage("node/u", "raw-u", Map.of(Envelope.TYPE, "<script>"),
                "{}".getBytes(StandardCharsets.UTF_8))));
        s.tell(NODE.ref("d"), new Hop(List.of()), "dup-1");
        drain(s);
        s.wake(NODE.id("d"), "wake-1");
        drain(s);

        Recording.Span poison = tracing.of("node/p");
        assertEquals(Outcome.Kind.DEAD_LETTERED, poison.ends.get(0).kind());
        assertEquals("Poison", poison.message.messageType());
        Recording.Span unknown = tracing.of("node/u");
        assertEquals(MessageTracing.HandledMessage.UNKNOWN, unknown.message.messageType());
        assertEquals(Outcome.Kind.DEAD_LETTERED, unknown.ends.get(0).kind());
        List<Recording.Span> d = tracing.spans.stream().filter(sp -> sp.message.actorId().equals("node/d")).toList();
        assertEquals(2, d.size());
        assertEquals(Envelope.SYSTEM_WAKE, d.get(1).message.messageType());
        assertEquals(Outcome.Kind.APPLIED, d.get(1).ends.get(0).kind(), "a wake settles with no outcome of its own");
        for (Recording.Span span : tracing.spans) {
            assertEquals(1, span.ends.size(), "every span ends exactly once: " + span.message);
        }
        assertEquals(2, mailbox.deadLetters().size());
        for (DeadLetter letter : mailbox.deadLetters()) {
            assertFalse(letter.attributes().containsKey(Envelope.TRACEPARENT), "no context was sent, none invented");
        }
    }

    @Test
    void aTracingHookThatFailsEverywhereChangesNothing() {
        MessageTracing broken = new MessageTracing() {
            @Override
            public Optional<String> currentTraceparent() {
                throw new IllegalStateException("broken tracer");
            }

            @Override
            public DeliverySpan start(HandledMessage message) {
                throw new IllegalStateException("broken tracer");
            }
        };
        ActorSystem s = system(broken);
        s.tell(NODE.ref("a"), new Hop(List.of("b")), "p-1");
        List<Delivery> deliveries = drain(s);
        assertEquals(2, deliveries.size());
        assertEquals(1, s.inspect(NODE, "b").state());
        assertFalse(at(deliveries, "node/b").attributes().containsKey(Envelope.TRACEPARENT));
    }
}
