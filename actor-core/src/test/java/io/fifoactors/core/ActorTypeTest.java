package io.fifoactors.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dispatch builder: one handler per message record, checked at build(), as no exhaustive switch can in Java 17. */
class ActorTypeTest {
    sealed interface Msg {
    }

    record A() implements Msg {
    }

    record B() implements Msg {
    }

    sealed interface Nested extends Msg {
    }

    record C() implements Nested {
    }

    record Other() {
    }

    record State(int n) {
    }

    @Test
    void aMessageWithoutAHandlerIsNamedAtBuild() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () ->
                ActorType.builder("t", State.class, Msg.class).initialState(id -> new State(0))
                        .on(A.class, (s, a, ctx) -> Effect.none()).build());
        assertTrue(e.getMessage().contains("no handler for [B, C]"), e.getMessage());
    }

    @Test
    void aHandlerForAStrangerOrTwoForOneClassAreRefused() {
        var b = ActorType.builder("t", State.class, Msg.class).initialState(id -> new State(0))
                .on(A.class, (s, a, ctx) -> Effect.none());
        assertThrows(ConfigurationException.class, () -> b.on(A.class, (s, a, ctx) -> Effect.none()));
    }

    @Test
    void everyPermittedRecordIsRegisteredUnderItsNameAndDispatchedToItsHandler() throws Exception {
        ActorType<State, Msg> t = ActorType.builder("t", State.class, Msg.class).initialState(id -> new State(0))
                .on(A.class, (s, a, ctx) -> Effect.persist(new State(1)))
                .on(B.class, (s, b, ctx) -> Effect.persist(new State(2)))
                .on(C.class, (s, c, ctx) -> Effect.persist(new State(3)))
                .handlerTimeout(Duration.ofSeconds(2)).maxTimers(3)
                .build();
        assertEquals(java.util.Set.of("A", "B", "C"), t.messages().keySet());
        assertEquals(new State(3), t.handle(new State(0), new C(), null).newState().orElseThrow());
        assertEquals(Duration.ofSeconds(2), t.handlerTimeout());
        assertEquals(3, t.maxTimers());
        assertEquals("t/k", t.ref("k").id().groupId());
    }

    @Test
    void timerKeysAreCheckedWhereTheyAreMade() {
        assertThrows(IllegalArgumentException.class, () -> new TimerAction.Cancel("fa:stash"));
        assertThrows(IllegalArgumentException.class, () -> new TimerAction.Cancel("has space"));
        assertThrows(IllegalArgumentException.class, () -> new TimerAction.Cancel(""));
        assertEquals("expiry", new TimerAction.Cancel("expiry").key());
    }
}
