package io.fifoactors.testkit;

import io.fifoactors.core.ActorRef;
import io.fifoactors.core.PoisonPolicy;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.Resolution;
import io.fifoactors.testkit.Counters.Add;
import io.fifoactors.testkit.Counters.AddLater;
import io.fifoactors.testkit.Counters.Announce;
import io.fifoactors.testkit.Counters.AuditLog;
import io.fifoactors.testkit.Counters.AwaitAtLeast;
import io.fifoactors.testkit.Counters.Countdown;
import io.fifoactors.testkit.Counters.Counter;
import io.fifoactors.testkit.Counters.CounterMsg;
import io.fifoactors.testkit.Counters.Echo;
import io.fifoactors.testkit.Counters.Explode;
import io.fifoactors.testkit.Counters.Take;
import io.fifoactors.testkit.Counters.Transfer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.fifoactors.testkit.Counters.AUDIT;
import static io.fifoactors.testkit.Counters.COUNTER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The conversation kit runs the real runtime: what a test sees is what production does. */
class ActorTestKitTest {
    private final ActorTestKit kit = ActorTestKit.of(COUNTER, AUDIT);
    private static final ActorRef<CounterMsg> C1 = COUNTER.ref("c-1");
    private static final ActorRef<CounterMsg> C2 = COUNTER.ref("c-2");

    @Test
    void anAppliedMessageChangesTheStoredState() {
        Result r = kit.when(C1, new Add(3)).thenApplied().thenState(new Counter(3)).thenSentNothing();
        assertEquals(Outcome.Kind.APPLIED, r.kind());
        ActorSnapshot<Counter> s = kit.snapshot(COUNTER, "c-1");
        assertEquals(1, s.version());
        assertEquals(1, s.applied());
        assertEquals(new Counter(3), kit.state(COUNTER, "c-1"));
    }

    @Test
    void aRejectionIsRecordedWithTheActorAndLeavesTheState() {
        Result r = kit.given(COUNTER, "c-1", new Counter(1)).when(C1, new Take(5))
                .thenRejected("not enough").thenState(new Counter(1));
        ActorSnapshot<Counter> s = kit.snapshot(COUNTER, "c-1");
        assertEquals(1, s.rejected());
        assertEquals(r.outcome().messageId(), s.recentRejections().get(0).messageId());
        assertEquals("Take", s.recentRejections().get(0).type());
        assertEquals(kit.now(), s.recentRejections().get(0).at());
        assertTrue(kit.deadLetters().isEmpty());
    }

    @Test
    void givenMustComeFirstAndConfigurationBeforeTheFirstStep() {
        kit.when(C1, new Add(1));
        IllegalStateException late = assertThrows(IllegalStateException.class,
                () -> kit.given(COUNTER, "c-1", new Counter(5)));
        assertTrue(late.getMessage().contains("before any message"), late.getMessage());
        assertThrows(IllegalStateException.class, () -> kit.maxAttempts(3));
        assertEquals(new Counter(1), kit.state(COUNTER, "c-1"));
    }

    @Test
    void aConversationRunsEveryActorItReaches() {
        kit.given(COUNTER, "c-1", new Counter(5));
        Result r = kit.when(C1, new Transfer(C2, 2)).thenApplied().thenState(new Counter(3))
                .thenSent(C2, new Add(2)).thenStateOf(C2, new Counter(2));
        assertEquals(2, r.outcomes().stream().filter(o -> o.kind() == Outcome.Kind.APPLIED).count(),
                "the transfer and the credit it caused, in one step");
        kit.when(C1, new Announce()).thenSent(AUDIT.ref("log"), new Counters.Announced(3));
        assertEquals(new AuditLog(List.of(3)), kit.state(AUDIT, "log"));
    }

    @Test
    void aReplyAddressInAMessageIsATypedReference() {
        kit.when(C1, new Echo(4, C2)).thenApplied().thenSent(C2, new Add(4)).thenStateOf(C2, new Counter(4));
    }

    @Test
    void messagesToItselfRunInTheSameStep() {
        Result r = kit.when(C1, new Countdown(3)).thenState(new Counter(4));
        assertEquals(3, r.sent().size(), "Countdown 2, 1 and 0 to itself");
        assertEquals(C1.id(), r.sent().get(0).from());
    }

    @Test
    void aDeferredMessageIsAppliedAfterAStateChange() {
        kit.given(COUNTER, "c-1", new Counter(2));
        Result waiting = kit.when(C1, new AwaitAtLeast(5)).thenDeferred().thenState(new Counter(2));
        assertEquals(1, kit.snapshot(COUNTER, "c-1").stash().size());
        Result added = kit.when(C1, new Add(4)).thenApplied().thenState(new Counter(1));
        Outcome later = added.outcomeOf(C1, waiting.outcome().messageId()).orElseThrow();
        assertEquals(Outcome.Kind.APPLIED, later.kind());
        assertEquals(0, kit.snapshot(COUNTER, "c-1").stash().size());
    }

    @Test
    void aDeferralExpiresAtItsDeadlineOnItsOwnWhenTimePasses() {
        Result waiting = kit.when(C1, new AwaitAtLeast(5)).thenDeferred();
        String id = waiting.outcome().messageId();
        Result early = kit.advanceTime(Duration.ofMinutes(4));
        assertTrue(early.outcomeOf(C1, id).isEmpty());
        Result late = kit.advanceTime(Duration.ofMinutes(1));
        Outcome expired = late.outcomeOf(C1, id).orElseThrow();
        assertEquals(Outcome.Kind.REJECTED, expired.kind());
        assertEquals("deferral deadline passed", expired.detail());
        assertEquals(0, kit.snapshot(COUNTER, "c-1").stash().size());
        assertEquals(Instant.parse(ActorTestKit.DEFAULT_START).plus(Duration.ofMinutes(5)), kit.now());
    }

    @Test
    void timersFireWhenTimeReachesThemInDueOrder() {
        kit.when(C1, new AddLater("b", Duration.ofSeconds(20), 10)).thenApplied();
        kit.when(C1, new AddLater("a", Duration.ofSeconds(10), 1)).thenApplied();
        assertEquals(2, kit.snapshot(COUNTER, "c-1").timers().size());
        kit.advanceTime(Duration.ofSeconds(9)).thenStateOf(C1, new Counter(0));
        Result r = kit.advanceTime(Duration.ofSeconds(15)).thenStateOf(C1, new Counter(11));
        List<String> timers = r.outcomes().stream().filter(o -> o.kind() == Outcome.Kind.APPLIED)
                .map(Outcome::detail).toList();
        assertEquals(List.of("timer a", "timer b"), timers);
        assertTrue(kit.snapshot(COUNTER, "c-1").timers().isEmpty());
    }

    @Test
    void aThrowingHandlerIsDeadLetteredOnItsFirstFailureByDefault() {
        kit.given(COUNTER, "c-1", new Counter(4));
        kit.when(C1, new Explode()).thenDeadLettered("handler failed 1 time").thenState(new Counter(4));
        assertEquals(1, kit.deadLetters().size());
        assertTrue(kit.deadLetters().get(0).reason().contains("java.lang.IllegalArgumentException: boom"));
    }

    @Test
    void aThrowingHandlerIsRetriedUpToMaxAttempts() {
        ActorTestKit three = ActorTestKit.of(COUNTER).maxAttempts(3);
        Result r = three.when(C1, new Explode()).thenDeadLettered("handler failed 3 times");
        assertEquals(2, r.outcomes().stream().filter(o -> o.kind() == Outcome.Kind.RETRIED).count());
    }

    @Test
    void aParkedActorHoldsLaterMessagesUntilAnOperatorRetriesOrSkips() {
        AtomicBoolean broken = new AtomicBoolean(true);
        var parking = Counters.counter(PoisonPolicy.PARK, broken);
        ActorTestKit k = ActorTestKit.of(parking);
        var c = parking.ref("c");
        k.when(c, new Add(1)).thenParked();
        k.when(c, new Add(2)).thenHeld();
        k.when(c, new Add(3)).thenHeld();
        k.unpark(c, Resolution.RETRY).thenStateOf(c, new Counter(0)); // still broken: parked again
        assertTrue(k.snapshot(parking, "c").parked().isPresent());
        broken.set(false);
        k.unpark(c, Resolution.RETRY).thenStateOf(c, new Counter(6));
        assertTrue(k.snapshot(parking, "c").parked().isEmpty());
        assertEquals(0, k.snapshot(parking, "c").held());

        broken.set(true);
        k.when(c, new Add(10)).thenParked();
        k.when(c, new Take(1)).thenHeld();
        k.unpark(c, Resolution.SKIP).thenStateOf(c, new Counter(5));
        assertTrue(k.deadLetters().get(0).reason().startsWith("skipped by operator"), k.deadLetters().toString());
    }

    @Test
    void malformedUnknownAndForgedMessagesAreDeadLetteredWithTheirReason() {
        kit.whenRaw(C1.id(), "Add", "{\"amount\":").thenDeadLettered("cannot decode");
        kit.whenRaw(C1.id(), "Nope", "{}").thenDeadLettered("unknown message type 'Nope'");
        kit.whenRaw(C1.id(), "Add", "{\"amount\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of("fa-from", C2.id().groupId() + " 99 0")).thenDeadLettered("unauthenticated");
        assertEquals(new Counter(0), kit.state(COUNTER, "c-1"));
        assertEquals(3, kit.deadLetters().size());
    }

    @Test
    void anActorThatNeverBecomesIdleFailsTheStep() {
        AssertionError e = assertThrows(AssertionError.class, () -> kit.when(C1, new Countdown(20_000)));
        assertTrue(e.getMessage().contains("still busy"), e.getMessage());
    }

    @Test
    void aSendToATypeTheKitDoesNotRunFailsAsInProduction() {
        ActorTestKit alone = ActorTestKit.of(COUNTER);
        alone.when(C1, new Announce()).thenDeadLettered("no actor type 'audit' is registered");
    }

    @Test
    void aTypeTwiceOrAStrangerIsRefused() {
        assertThrows(io.fifoactors.core.ConfigurationException.class, () -> ActorTestKit.of(COUNTER, COUNTER));
        ActorTestKit alone = ActorTestKit.of(COUNTER);
        assertThrows(IllegalArgumentException.class, () -> alone.state(AUDIT, "log"));
    }
}
