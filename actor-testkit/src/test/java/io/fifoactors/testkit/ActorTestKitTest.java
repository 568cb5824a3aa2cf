package io.fifoactors.testkit;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.PoisonPolicy;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.Resolution;
import io.fifoactors.testkit.Counters.Add;
import io.fifoactors.testkit.Counters.Announce;
import io.fifoactors.testkit.Counters.Announced;
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
import java.util.concurrent.atomic.AtomicBoolean;

import static io.fifoactors.testkit.Counters.AUDIT;
import static io.fifoactors.testkit.Counters.COUNTER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActorTestKitTest {
    private final ActorTestKit<Counter, CounterMsg> kit = ActorTestKit.of(COUNTER).key("c-1");

    @Test
    void appliedMessageChangesTheStoredState() {
        Result<Counter> r = kit.when(new Add(3)).thenApplied().thenState(new Counter(3)).thenSentNothing();

        assertEquals(Outcome.Kind.APPLIED, r.kind());
        assertNull(r.reason());
        assertEquals(1, r.snapshot().version());
        assertEquals(1, r.snapshot().applied());
        assertEquals(ActorId.of("counter", "c-1"), kit.id());
        assertEquals(new Counter(3), kit.state());
    }

    @Test
    void rejectionIsRecordedWithTheActorAndLeavesTheState() {
        Result<Counter> r = kit.given(new Counter(1)).when(new Take(5))
                .thenRejected("not enough").thenState(new Counter(1));

        assertEquals("not enough", r.reason());
        assertEquals(1, r.snapshot().rejected());
        assertEquals(1, r.snapshot().recentRejections().size());
        assertEquals(r.messageId(), r.snapshot().recentRejections().get(0).messageId());
        assertEquals("Take", r.snapshot().recentRejections().get(0).messageType());
        assertEquals(kit.now(), r.snapshot().recentRejections().get(0).at());
        assertTrue(kit.deadLetters().isEmpty());
    }

    @Test
    void givenStateIsVersionOneAndGivenMessagesReachAState() {
        assertEquals(1, kit.given(new Counter(7)).snapshot().version());
        assertEquals(new Counter(7), kit.state());

        ActorTestKit<Counter, CounterMsg> other = ActorTestKit.of(COUNTER);
        other.givenMessages(new Add(1), new Add(2)).when(new Take(3)).thenApplied().thenState(new Counter(0));
        assertEquals(3, other.snapshot().applied());
        assertEquals(3, other.outcomes().size());
    }

    @Test
    void givenStateMustComeFirstAndConfigurationBeforeTheFirstStep() {
        kit.send(new Add(1));
        IllegalStateException late = assertThrows(IllegalStateException.class, () -> kit.given(new Counter(5)));
        assertTrue(late.getMessage().contains("before any message"), late.getMessage());
        assertThrows(IllegalStateException.class, () -> kit.key("c-2"));
        assertThrows(IllegalStateException.class, () -> kit.maxAttempts(3));
        assertEquals(new Counter(1), kit.state());
    }

    @Test
    void deferredMessageIsAppliedAfterAStateChange() {
        Result<Counter> waiting = kit.given(new Counter(2)).when(new AwaitAtLeast(5)).thenDeferred()
                .thenState(new Counter(2));
        assertEquals(1, waiting.snapshot().stashed());
        assertEquals("until " + kit.now().plus(Counters.PATIENCE), waiting.outcome().detail());

        Result<Counter> added = kit.when(new Add(4)).thenApplied().thenState(new Counter(1));

        Outcome later = added.outcomeOf(waiting.messageId()).orElseThrow();
        assertEquals(Outcome.Kind.APPLIED, later.kind());
        assertEquals(0, added.snapshot().stashed());
        assertEquals(2, added.snapshot().applied());
        assertEquals(1, added.snapshot().deferred());
    }

    @Test
    void deferralExpiresWhenTheDeadlinePassesAndTheActorIsWoken() {
        Result<Counter> waiting = kit.when(new AwaitAtLeast(5)).thenDeferred();

        Result<Counter> early = kit.advanceTime(Duration.ofMinutes(4)).wake();
        assertNull(early.messageId());
        assertTrue(early.outcomeOf(waiting.messageId()).isEmpty());
        assertEquals(1, early.snapshot().stashed());

        Result<Counter> late = kit.advanceTime(Duration.ofMinutes(1)).wake();
        Outcome expired = late.outcomeOf(waiting.messageId()).orElseThrow();
        assertEquals(Outcome.Kind.REJECTED, expired.kind());
        assertEquals("deferral deadline passed", expired.detail());
        assertEquals(0, late.snapshot().stashed());
        assertEquals(1, late.snapshot().rejected());
        assertEquals(new Counter(0), late.state());
        assertEquals(Instant.parse(ActorTestKit.DEFAULT_START).plus(Duration.ofMinutes(5)), kit.now());
    }

    @Test
    void throwingHandlerIsDeadLetteredOnTheFirstReceiveByDefault() {
        Result<Counter> r = kit.given(new Counter(4)).when(new Explode())
                .thenDeadLettered("java.lang.IllegalArgumentException: boom").thenState(new Counter(4));

        assertTrue(r.reason().startsWith("handler failed 1 time: "), r.reason());
        assertEquals(1, kit.deadLetters().size());
        assertEquals(r.messageId(), kit.deadLetters().get(0).messageId());
        assertEquals(r.reason(), kit.deadLetters().get(0).reason());
        // the actor goes on with its later messages
        kit.when(new Add(1)).thenApplied().thenState(new Counter(5));
    }

    @Test
    void throwingHandlerIsRetriedUpToMaxAttempts() {
        ActorTestKit<Counter, CounterMsg> patient = ActorTestKit.of(COUNTER).maxAttempts(3);
        Result<Counter> r = patient.when(new Explode()).thenDeadLettered("handler failed 3 times");

        List<Outcome.Kind> kinds = r.outcomes().stream().map(Outcome::kind).toList();
        assertEquals(List.of(Outcome.Kind.RETRIED, Outcome.Kind.RETRIED, Outcome.Kind.DEAD_LETTERED), kinds);
        assertEquals(Instant.parse(ActorTestKit.DEFAULT_START), patient.now(), "redeliveries do not move the clock");
    }

    @Test
    void parkedActorHoldsLaterMessagesAndRetriesAfterTheFix() {
        AtomicBoolean broken = new AtomicBoolean(true);
        ActorTestKit<Counter, CounterMsg> k = ActorTestKit.of(Counters.counter(PoisonPolicy.PARK, broken));

        Result<Counter> parked = k.when(new Add(1)).thenParked();
        assertTrue(parked.reason().contains("counter is broken"), parked.reason());
        assertTrue(parked.snapshot().parked());
        Result<Counter> held = k.when(new Add(2)).thenHeld().thenState(new Counter(0));
        assertEquals(1, held.snapshot().held());

        broken.set(false);
        Result<Counter> retried = k.unpark(Resolution.RETRY).thenApplied().thenState(new Counter(3));

        assertEquals(parked.messageId(), retried.messageId());
        assertEquals(Outcome.Kind.APPLIED, retried.outcomeOf(held.messageId()).orElseThrow().kind());
        assertFalse(retried.snapshot().parked());
        assertEquals(0, retried.snapshot().held());
        assertTrue(k.deadLetters().isEmpty());
    }

    @Test
    void retryThatFailsAgainStaysParked() {
        ActorTestKit<Counter, CounterMsg> k = ActorTestKit.of(Counters.counter(PoisonPolicy.PARK,
                new AtomicBoolean(true)));
        k.send(new Add(1));

        Result<Counter> again = k.unpark(Resolution.RETRY).thenParked();
        assertTrue(again.reason().startsWith("retried by operator and failed again"), again.reason());
        assertTrue(again.snapshot().parked());
    }

    @Test
    void skippedParkedMessageIsDeadLetteredAndHeldMessagesFollow() {
        AtomicBoolean broken = new AtomicBoolean(true);
        ActorTestKit<Counter, CounterMsg> k = ActorTestKit.of(Counters.counter(PoisonPolicy.PARK, broken));
        Result<Counter> parked = k.when(new Add(1)).thenParked();
        Result<Counter> held = k.when(new Take(0)).thenHeld();

        Result<Counter> skipped = k.unpark(Resolution.SKIP).thenDeadLettered("skipped by operator")
                .thenState(new Counter(0));

        assertEquals(parked.messageId(), skipped.messageId());
        assertEquals(Outcome.Kind.APPLIED, skipped.outcomeOf(held.messageId()).orElseThrow().kind());
        assertFalse(skipped.snapshot().parked());
        assertEquals(1, k.deadLetters().size());
        assertEquals(parked.messageId(), k.deadLetters().get(0).messageId());
    }

    @Test
    void unparkOfAnActorThatIsNotParkedChangesNothing() {
        kit.send(new Add(2));
        Result<Counter> r = kit.unpark(Resolution.SKIP);
        assertNull(r.messageId());
        assertNull(r.kind());
        assertEquals(new Counter(2), r.state());
        AssertionError e = assertThrows(AssertionError.class, r::thenApplied);
        assertTrue(e.getMessage().contains("no message of its own"), e.getMessage());
    }

    @Test
    void messagesToOtherActorsAreCapturedDecodedAndNotRun() {
        Result<Counter> r = kit.given(new Counter(10)).when(new Transfer("c-2", 4))
                .thenApplied().thenState(new Counter(6)).thenSent(COUNTER.id("c-2"), new Add(4));

        assertEquals(List.of(new Sent(COUNTER.id("c-2"), new Add(4))), r.sent());
        assertEquals(1, r.snapshot().sent());
        assertEquals(r.sent(), kit.sent());
        assertTrue(kit.outcomes().stream().allMatch(o -> o.actor().equals(kit.id())), kit.outcomes().toString());
        // the next step does not report the earlier send again
        kit.when(new Take(1)).thenApplied().thenSentNothing();
    }

    @Test
    void sendToAnUnregisteredTypeFailsAsInProductionAndSucceedsOnceRegistered() {
        kit.given(new Counter(3)).when(new Announce())
                .thenDeadLettered("no actor type 'audit' is registered").thenSentNothing();

        ActorTestKit.of(COUNTER).register(COUNTER, AUDIT).given(new Counter(3)).when(new Announce())
                .thenApplied().thenSent(AUDIT.id("log"), new Announced(3));
    }

    @Test
    void senderIsSeenByTheHandlerAndRepliesAreCaptured() {
        ActorId peer = COUNTER.id("peer");
        Result<Counter> first = kit.when(new Echo(2), peer).thenApplied().thenSent(peer, new Add(2));
        Result<Counter> second = kit.send(new Echo(5), peer).thenApplied().thenSent(peer, new Add(5));
        assertEquals(List.of(new Sent(peer, new Add(2))), first.sent());
        assertEquals(1, second.snapshot().senderMarks());
        assertEquals(2, second.snapshot().applied(), "the second message from the same sender is no duplicate");

        kit.when(new Echo(1)).thenRejected("no sender");
        assertThrows(IllegalArgumentException.class, () -> kit.send(new Echo(1), kit.id()));
    }

    @Test
    void messagesToItselfRunInTheSameStep() {
        Result<Counter> r = kit.when(new Countdown(3)).thenApplied().thenState(new Counter(4));

        assertEquals(3, r.sent().size());
        assertEquals(new Sent(kit.id(), new Countdown(2)), r.sent().get(0));
        assertEquals(4, r.outcomes().stream().filter(o -> o.kind() == Outcome.Kind.APPLIED).count());
    }

    @Test
    void actorThatNeverBecomesIdleFailsTheStep() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> kit.send(new Countdown(ActorTestKit.MAX_BATCHES_PER_STEP + 10)));
        assertTrue(e.getMessage().contains("still busy"), e.getMessage());
    }

    @Test
    void decideCallsTheHandlerOnceWithoutTouchingTheStore() {
        var rejected = kit.decide(new Counter(1), new Take(5));
        assertEquals(io.fifoactors.core.Effect.Kind.REJECT, rejected.kind());
        assertEquals("not enough", rejected.reason());

        var transfer = kit.decide(new Counter(10), new Transfer("c-2", 4));
        assertEquals(new Counter(6), transfer.state());
        assertEquals(List.of(new io.fifoactors.core.Effect.Send(COUNTER.id("c-2"), new Add(4))), transfer.sends());

        var deferred = kit.decide(new Counter(0), new AwaitAtLeast(1));
        assertEquals(kit.now().plus(Counters.PATIENCE), deferred.deadline());

        assertThrows(IllegalArgumentException.class, () -> kit.decide(new Counter(0), new Explode()));
        assertEquals(0, kit.snapshot().version());
        assertTrue(kit.outcomes().isEmpty());
    }

    @Test
    void decideRefusesASendToAnUnregisteredType() {
        AssertionError e = assertThrows(AssertionError.class, () -> kit.decide(new Counter(1), new Announce()));
        assertTrue(e.getMessage().contains("'audit'"), e.getMessage());
    }

    @Test
    void anotherTypeWithTheSameNameIsRefused() {
        assertThrows(io.fifoactors.core.ConfigurationException.class,
                () -> ActorTestKit.of(COUNTER).register(Counters.counter(PoisonPolicy.PARK, new AtomicBoolean())));
    }

    @Test
    void startTimeAndKeyAreConfigurable() {
        Instant t = Instant.parse("2030-05-01T12:00:00Z");
        ActorTestKit<Counter, CounterMsg> k = ActorTestKit.of(COUNTER).key("x-9").startingAt(t);
        Result<Counter> r = k.when(new AwaitAtLeast(1)).thenDeferred();
        assertEquals("until " + t.plus(Counters.PATIENCE), r.outcome().detail());
        assertEquals(ActorId.of("counter", "x-9"), k.id());
    }
}
