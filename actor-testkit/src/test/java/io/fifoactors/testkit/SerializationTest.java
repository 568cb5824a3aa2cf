package io.fifoactors.testkit;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kit catches states and messages that do not survive the codec, with an error that says where. */
class SerializationTest {
    /** Jackson can write this (it has a getter) but not read it: no no-argument or @JsonCreator constructor. */
    static class Tally {
        private final int count;

        Tally(int count, String unused) {
            this.count = count;
        }

        public int getCount() {
            return count;
        }
    }

    record TallyState(Tally tally) {
    }

    sealed interface TallyMsg permits Bump {
    }

    record Bump() implements TallyMsg {
    }

    static final ActorType<TallyState, TallyMsg> TALLY = ActorType.builder("tally", TallyState.class, TallyMsg.class)
            .initialState(id -> new TallyState(null))
            .on(Bump.class, (s, m, ctx) -> Effect.persist(new TallyState(new Tally(1, "x"))))
            .build();

    @Test
    void stateThatCannotBeDecodedFailsTheStep() {
        ActorTestKit kit = ActorTestKit.of(TALLY);
        AssertionError e = assertThrows(AssertionError.class, () -> kit.when(TALLY.ref("t"), new Bump()));
        assertTrue(e.getMessage().startsWith("the TallyState TallyState["), e.getMessage());
        assertTrue(e.getMessage().contains("cannot be decoded back as " + TallyState.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("{\"tally\":{\"count\":1}}"), e.getMessage());
    }

    @Test
    void givenStateThatCannotBeDecodedIsRefused() {
        ActorTestKit kit = ActorTestKit.of(TALLY);
        AssertionError e = assertThrows(AssertionError.class, () -> kit.given(TALLY, "t",
                new TallyState(new Tally(2, "y"))));
        assertTrue(e.getMessage().startsWith("the given state"), e.getMessage());
        assertEquals(0, kit.snapshot(TALLY, "t").version(), "nothing was stored");
    }

    /** A component Jackson ignores is silently lost in production: the next message sees null. */
    record Note(int value, @JsonIgnore String remark) {
    }

    sealed interface NoteMsg permits Write {
    }

    record Write(String remark) implements NoteMsg {
    }

    static final ActorType<Note, NoteMsg> NOTE = ActorType.builder("note", Note.class, NoteMsg.class)
            .initialState(id -> new Note(0, ""))
            .on(Write.class, (n, m, ctx) -> Effect.persist(new Note(n.value() + 1, m.remark())))
            .build();

    @Test
    void componentLostInTheRoundTripIsNamed() {
        ActorTestKit kit = ActorTestKit.of(NOTE);
        AssertionError e = assertThrows(AssertionError.class, () -> kit.when(NOTE.ref("n"), new Write("hello")));
        assertTrue(e.getMessage().contains("does not survive the codec's round trip"), e.getMessage());
        assertTrue(e.getMessage().contains("Note.remark: \"hello\" before, null after"), e.getMessage());
    }

    /** A value typed Object comes back as what JSON makes of it: a Long becomes an Integer. */
    record Bag(Map<String, Object> items) {
    }

    sealed interface BagMsg permits Put {
    }

    record Put(String key, long amount) implements BagMsg {
    }

    static final ActorType<Bag, BagMsg> BAG = ActorType.builder("bag", Bag.class, BagMsg.class)
            .initialState(id -> new Bag(Map.of()))
            .on(Put.class, (b, p, ctx) -> Effect.persist(new Bag(Map.of(p.key(), p.amount()))))
            .build();

    @Test
    void valueWhoseClassChangesInTheRoundTripIsNamed() {
        ActorTestKit kit = ActorTestKit.of(BAG);
        AssertionError e = assertThrows(AssertionError.class, () -> kit.when(BAG.ref("b"), new Put("apples", 3)));
        assertTrue(e.getMessage().contains("Bag.items[apples]: 3 (java.lang.Long) before, 3 (java.lang.Integer) after"),
                e.getMessage());
    }

    /** Jackson cannot write this: no getters, no public fields. */
    static final class NoProperties {
    }

    sealed interface OpaqueMsg permits Carry {
    }

    record Carry(NoProperties thing) implements OpaqueMsg {
    }

    static final ActorType<Integer, OpaqueMsg> OPAQUE = ActorType.builder("opaque", Integer.class, OpaqueMsg.class)
            .initialState(id -> 0)
            .on(Carry.class, (n, m, ctx) -> Effect.persist(n + 1))
            .build();

    @Test
    void messageThatCannotBeEncodedIsRefusedBeforeItIsSent() {
        ActorTestKit kit = ActorTestKit.of(OPAQUE);
        AssertionError e = assertThrows(AssertionError.class, () -> kit.when(OPAQUE.ref("o"),
                new Carry(new NoProperties())));
        assertTrue(e.getMessage().startsWith("the Carry Carry"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot be encoded"), e.getMessage());
        assertTrue(kit.outcomes().isEmpty());
    }
}
