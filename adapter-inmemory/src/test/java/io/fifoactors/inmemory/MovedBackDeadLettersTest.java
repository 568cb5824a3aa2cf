package io.fifoactors.inmemory;

import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.core.PoisonPolicy;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.runtime.Resolution;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator who moves an actor's dead-lettered message back gets it applied once, with its sender, even after the
 * sender's later messages were applied (their marks cover it): the receiver remembers what it dead-lettered.
 */
class MovedBackDeadLettersTest {
    sealed interface Msg {
    }

    /** Tells the sink a note. */
    record Go(String tag) implements Msg {
    }

    /** Appended to the sink's log with the sender's key; fails while its tag is broken. */
    record Note(String tag) implements Msg {
    }

    record Log(List<String> entries) {
        Log with(String e) {
            List<String> l = new ArrayList<>(entries);
            l.add(e);
            return new Log(List.copyOf(l));
        }
    }

    static final Set<String> BROKEN = ConcurrentHashMap.newKeySet();

    static ActorType<Log, Msg> type(PoisonPolicy policy) {
        return ActorType.builder("t", Log.class, Msg.class)
                .initialState(id -> new Log(List.of()))
                .poisonPolicy(policy)
                .on(Go.class, (s, g, ctx) -> Effect.none(Holder.ref(policy, "sink").tell(new Note(g.tag()))))
                .on(Note.class, (s, n, ctx) -> {
                    if (BROKEN.contains(n.tag())) {
                        throw new IllegalStateException("broken note");
                    }
                    return Effect.persist(s.with(n.tag() + " from " + ctx.metadata().sender()
                            .map(a -> a.key()).orElse("nobody")));
                })
                .build();
    }

    static final class Holder {
        static final ActorType<Log, Msg> DEAD = type(PoisonPolicy.DEAD_LETTER);
        static final ActorType<Log, Msg> PARK = type(PoisonPolicy.PARK);

        static io.fifoactors.core.ActorRef<Msg> ref(PoisonPolicy p, String key) {
            return (p == PoisonPolicy.PARK ? PARK : DEAD).ref(key);
        }
    }

    @Test
    void aDeadLetteredMessageMovedBackAfterTheSendersLaterOnesIsAppliedOnceWithItsSender() {
        BROKEN.clear();
        BROKEN.add("first");
        ActorType<Log, Msg> t = Holder.DEAD;
        try (Simulation sim = Simulation.builder().configure(b -> b.register(t)).consumers(1).maxAttempts(1).build()) {
            sim.system().tell(t.ref("src"), new Go("first"), "go-1");
            assertTrue(sim.run().settled());
            assertEquals(1, sim.mailbox().deadLetters().size());
            sim.system().tell(t.ref("src"), new Go("second"), "go-2");
            assertTrue(sim.run().settled());
            assertEquals(List.of("second from src"), sim.system().inspect(t, "sink").state().entries());

            BROKEN.clear();
            List<DeadLetter> moved = sim.mailbox().moveBack(d -> true);
            assertEquals(1, moved.size());
            assertTrue(sim.run().settled());
            assertEquals(List.of("second from src", "first from src"),
                    sim.system().inspect(t, "sink").state().entries());
            assertTrue(sim.mailbox().deadLetters().isEmpty());
        }
    }

    @Test
    void aSecondCopyOfAMovedBackLetterIsADuplicate() {
        BROKEN.clear();
        BROKEN.add("first");
        ActorType<Log, Msg> t = Holder.DEAD;
        try (Simulation sim = Simulation.builder().configure(b -> b.register(t)).consumers(1).maxAttempts(1).build()) {
            sim.system().tell(t.ref("src"), new Go("first"), "go-1");
            sim.system().tell(t.ref("src"), new Go("second"), "go-2");
            assertTrue(sim.run().settled());
            DeadLetter letter = sim.mailbox().deadLetters().get(0);
            BROKEN.clear();
            sim.mailbox().moveBack(d -> true);
            assertTrue(sim.run().settled());
            // an operator who kept a copy and sends it again: the actor applied it once already
            sim.clock().advance(java.time.Duration.ofMinutes(6)); // past the queue's deduplication window
            sim.mailbox().send(List.of(new io.fifoactors.core.port.OutgoingMessage(letter.groupId(),
                    letter.messageId(), letter.attributes(), letter.body())));
            assertTrue(sim.run().settled());
            assertEquals(List.of("second from src", "first from src"),
                    sim.system().inspect(t, "sink").state().entries());
        }
    }

    @Test
    void aParkedActorsMessageSkippedByTheOperatorKeepsItsSenderWhenMovedBack() {
        BROKEN.clear();
        BROKEN.add("first");
        ActorType<Log, Msg> t = Holder.PARK;
        try (Simulation sim = Simulation.builder().configure(b -> b.register(t)).consumers(1).maxAttempts(1).build()) {
            sim.system().tell(t.ref("src"), new Go("first"), "go-1");
            sim.system().tell(t.ref("src"), new Go("second"), "go-2");
            assertTrue(sim.run().settled());
            assertTrue(sim.system().inspect(t, "sink").parked().isPresent());

            sim.system().unpark(t.id("sink"), Resolution.SKIP, "op-1");
            assertTrue(sim.run().settled());
            assertEquals(List.of("second from src"), sim.system().inspect(t, "sink").state().entries());
            assertEquals(1, sim.mailbox().deadLetters().size());

            BROKEN.clear();
            sim.mailbox().moveBack(d -> true);
            assertTrue(sim.run().settled());
            assertEquals(List.of("second from src", "first from src"),
                    sim.system().inspect(t, "sink").state().entries());
        }
    }
}
