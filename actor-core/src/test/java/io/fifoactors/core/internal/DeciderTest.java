package io.fifoactors.core.internal;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.core.PoisonPolicy;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.runtime.BatchOutcome.RetryCause;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static io.fifoactors.core.internal.Fixtures.A;
import static io.fifoactors.core.internal.Fixtures.COUNTER;
import static io.fifoactors.core.internal.Fixtures.T0;
import static io.fifoactors.core.internal.Fixtures.at;
import static io.fifoactors.core.internal.Fixtures.external;
import static io.fifoactors.core.internal.Fixtures.fresh;
import static io.fifoactors.core.internal.Fixtures.fromActor;
import static io.fifoactors.core.internal.Fixtures.parse;
import static io.fifoactors.core.internal.Fixtures.seqOf;
import static io.fifoactors.core.internal.Fixtures.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure decision, with ports that fail if touched: state + bookkeeping + deliveries in, decision out. */
class DeciderTest {
    private static final RedriveStrategy NO_QUEUE_REDRIVE = new RedriveStrategy.Runtime();

    private static Decider decider(ActorType<?, ?> type, Instant now) {
        @SuppressWarnings("unchecked")
        ActorType<Object, Object> t = (ActorType<Object, Object>) type;
        return new Decider(settings(type, at(now)), NO_QUEUE_REDRIVE, A, t, Decider.Progress.NONE);
    }

    private static Decider.Fold fold(Working w, List<Inbound> in) {
        return decider(COUNTER, T0).fold(w, in, 0, Integer.MAX_VALUE, T0, new ArchivedMarks(), -1);
    }

    private static List<Outcome.Kind> kinds(Working w) {
        return w.outcomes.stream().map(Outcome::kind).toList();
    }

    @Test
    void foldsEveryMessageOfTheGroupIntoOneWorkingCopy() {
        Working w = fresh();
        Decider.Fold f = fold(w, parse(external(1, new Fixtures.Add(2), 1), external(2, new Fixtures.Add(3), 1)));
        assertEquals(2, f.consumed());
        assertInstanceOf(Stop.End.class, f.stop());
        assertEquals(5, ((Fixtures.Counter) w.state).value());
        assertEquals(seqOf(2), w.ctl.appliedSeq);
        assertEquals(2, w.ctl.applied);
        assertTrue(w.changed);
        assertEquals(List.of(Outcome.Kind.APPLIED, Outcome.Kind.APPLIED), kinds(w));
    }

    @Test
    void aDeliveryAtOrBelowTheAppliedSequenceIsADuplicateAndChangesNothing() {
        Working w = fresh();
        w.ctl.appliedSeq = seqOf(5);
        Decider.Fold f = fold(w, parse(external(5, new Fixtures.Add(2), 2)));
        assertEquals(1, f.consumed());
        assertFalse(w.changed);
        assertEquals(List.of(Outcome.Kind.DUPLICATE), kinds(w));
        assertEquals(0, ((Fixtures.Counter) w.state).value());
    }

    @Test
    void aReSendAtOrBelowTheSendersMarkIsADuplicate() {
        ActorId b = COUNTER.id("b");
        Working w = fresh();
        w.ctl.advanceMark(Mark.senderKey(b.groupId()), 7, T0.toEpochMilli());
        Decider.Fold f = fold(w, parse(fromActor(1, b, 7, T0, T0, new Fixtures.Add(1)),
                fromActor(2, b, 8, T0, T0, new Fixtures.Add(1))));
        assertEquals(2, f.consumed());
        assertEquals(List.of(Outcome.Kind.DUPLICATE, Outcome.Kind.APPLIED), kinds(w));
        assertEquals(8, w.ctl.markOf(Mark.senderKey(b.groupId())).orElseThrow().seq());
    }

    @Test
    void aLateReSendIsCheckedAgainstTheArchivedMarks() {
        ActorId b = COUNTER.id("b");
        Instant committed = T0.minus(Duration.ofMinutes(30));
        Working w = fresh();
        ArchivedMarks archived = new ArchivedMarks();
        archived.learn(Mark.senderKey(b.groupId()), OptionalLong.of(4));
        Decider d = decider(COUNTER, T0);
        Decider.Fold f = d.fold(w, parse(fromActor(1, b, 4, committed, T0, new Fixtures.Add(1)),
                fromActor(2, b, 5, committed, T0, new Fixtures.Add(1))), 0, Integer.MAX_VALUE, T0, archived, -1);
        assertEquals(List.of(Outcome.Kind.DUPLICATE, Outcome.Kind.APPLIED), kinds(w));
        assertEquals(2, f.consumed());
    }

    @Test
    void aLateReSendNotLookedUpInTheArchiveIsAnError() {
        ActorId b = COUNTER.id("b");
        Working w = fresh();
        Decider d = decider(COUNTER, T0);
        List<Inbound> in = parse(fromActor(1, b, 4, T0.minus(Duration.ofMinutes(30)), T0, new Fixtures.Add(1)));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> d.fold(w, in, 0, Integer.MAX_VALUE, T0, new ArchivedMarks(), -1));
        assertTrue(e.getMessage().contains("not looked up"));
    }

    @Test
    void aReSendOlderThanTheHorizonIsDeadLetteredNotApplied() {
        ActorId b = COUNTER.id("b");
        Working w = fresh();
        Decider.Fold f = fold(w, parse(fromActor(1, b, 4, T0.minus(Duration.ofDays(15)), T0, new Fixtures.Add(1))));
        Stop.DeadLetter dl = assertInstanceOf(Stop.DeadLetter.class, f.stop());
        assertTrue(dl.reason().contains("deduplication horizon"), dl.reason());
        assertEquals(0, f.consumed());
    }

    @Test
    void aForgedSenderIsRefusedBeforeAnythingIsTrusted() {
        Map<String, String> attrs = Map.of(Envelope.TYPE, "Add", Envelope.FROM,
                COUNTER.id("victim").groupId() + " " + Long.MAX_VALUE + " 0");
        Working w = fresh();
        Decider.Fold f = fold(w, parse(Fixtures.raw(1, attrs, "{\"n\":1}")));
        Stop.DeadLetter dl = assertInstanceOf(Stop.DeadLetter.class, f.stop());
        assertTrue(dl.reason().startsWith("unauthenticated"), dl.reason());
        assertTrue(w.ctl.marks.isEmpty(), "no mark taken from a forged sender");
    }

    @Test
    void malformedAndUnknownMessagesAreDeadLetteredAtOnce() {
        Working w = fresh();
        Decider.Fold f = fold(w, parse(Fixtures.raw(1, Map.of(Envelope.TYPE, "Add"), "{\"n\":")));
        assertInstanceOf(Stop.DeadLetter.class, f.stop());
        Working w2 = fresh();
        Decider.Fold f2 = fold(w2, parse(Fixtures.raw(1, Map.of(Envelope.TYPE, "Nope"), "{}")));
        assertTrue(((Stop.DeadLetter) f2.stop()).reason().contains("unknown message type 'Nope'"));
        Working w3 = fresh();
        Decider.Fold f3 = fold(w3, parse(Fixtures.raw(1, Map.of(), "{}")));
        assertTrue(((Stop.DeadLetter) f3.stop()).reason().contains("no fa-type"));
    }

    @Test
    void aHandlerFailureIsRetriedWithTheAttemptCountedThenGivenUp() {
        Working w = fresh();
        Decider.Fold f = fold(w, parse(external(1, new Fixtures.Add(1), 1), external(2, new Fixtures.Boom("x"), 1)));
        Stop.Retry r = assertInstanceOf(Stop.Retry.class, f.stop());
        assertEquals(1, r.at());
        assertEquals(RetryCause.HANDLER_FAILED, r.cause());
        assertEquals(1, f.consumed(), "the message before it is kept for the commit");
        assertEquals(seqOf(2), w.ctl.failingSeq);
        assertEquals(1, w.ctl.failedAttempts);

        Working again = fresh();
        again.ctl.failingSeq = seqOf(2);
        again.ctl.failedAttempts = 2; // maxAttempts is 3 in these settings
        Decider.Fold last = fold(again, parse(external(2, new Fixtures.Boom("x"), 3)));
        Stop.DeadLetter dl = assertInstanceOf(Stop.DeadLetter.class, last.stop());
        assertTrue(dl.reason().startsWith("handler failed 3 times"), dl.reason());
    }

    sealed interface Talk {
    }

    record Say(String text, String forwardTo) implements Talk {
    }

    static final ActorType<String, Talk> ECHO = ActorType.builder("counter", String.class, Talk.class)
            .initialState(id -> "")
            .on(Say.class, (s, m, ctx) -> m.forwardTo().isEmpty() ? Effect.none()
                    : Effect.none(DeciderTest.ECHO.ref(m.forwardTo()).tell(new Say(m.text(), ""))))
            .build();

    @Test
    void anOutgoingMessageIsSizedAsSqsCarriesItABodyThatIsNotSqsTextCountingAsBase64() {
        String text = "a".repeat(200_000); // 200 KB as text: fits; its Base64 form (267 KB) would not
        Working fits = new Working(0, "", new Control());
        Decider.Fold ok = decider(ECHO, T0).fold(fits, parse(external(1, new Say(text, "b"), 1)), 0,
                Integer.MAX_VALUE, T0, new ArchivedMarks(), -1);
        assertInstanceOf(Stop.End.class, ok.stop());
        assertEquals(1, fits.ctl.outbox.size());

        Working binary = new Working(0, "", new Control());
        // U+FFFF is valid UTF-8 but not a character SQS accepts in a text body: the body must travel as Base64
        Decider.Fold refused = decider(ECHO, T0).fold(binary, parse(external(1, new Say(text + "\uFFFF", "b"), 1)),
                0, Integer.MAX_VALUE, T0, new ArchivedMarks(), -1);
        Stop.Retry r = assertInstanceOf(Stop.Retry.class, refused.stop());
        assertEquals(RetryCause.HANDLER_FAILED, r.cause());
        assertTrue(binary.ctl.failingReason.orElseThrow().contains("MessageTooLarge"),
                binary.ctl.failingReason.orElseThrow());
        assertTrue(binary.ctl.outbox.isEmpty());
    }

    @Test
    void withThePoisonPolicyParkTheActorParksAndHoldsWhatFollows() {
        ActorType<Fixtures.Counter, Fixtures.Msg> parking = Fixtures.counter(PoisonPolicy.PARK, 16);
        Working w = fresh();
        w.ctl.failingSeq = seqOf(1);
        w.ctl.failedAttempts = 2;
        Decider.Fold f = decider(parking, T0).fold(w, parse(external(1, new Fixtures.Boom("x"), 3),
                external(2, new Fixtures.Add(1), 1)), 0, Integer.MAX_VALUE, T0, new ArchivedMarks(), -1);
        assertEquals(2, f.consumed());
        assertEquals(List.of(Outcome.Kind.PARKED, Outcome.Kind.HELD), kinds(w));
        assertTrue(w.ctl.parked.isPresent());
        assertEquals(1, w.ctl.held.size());
    }

    @Test
    void aMessageReceivedOftenIsMarkedUnderWayBeforeItsHandlerAndACrashThenCounts() {
        Working w = fresh();
        Decider d = decider(COUNTER, T0);
        List<Inbound> in = parse(external(1, new Fixtures.Add(1), 4)); // crashCheckAfter is 3
        Decider.Fold f = d.fold(w, in, 0, Integer.MAX_VALUE, T0, new ArchivedMarks(), -1);
        assertInstanceOf(Stop.MarkAttempt.class, f.stop());
        assertTrue(w.ctl.attemptInProgress);
        assertEquals(4, w.ctl.attemptReceiveCount);
        assertEquals(0, ((Fixtures.Counter) w.state).value(), "no handler ran before the mark is committed");

        // the shell committed the mark; the handler now runs
        Decider.Fold g = d.fold(w, in, 0, Integer.MAX_VALUE, T0, new ArchivedMarks(), 0);
        assertInstanceOf(Stop.End.class, g.stop());
        assertEquals(1, ((Fixtures.Counter) w.state).value());
        assertFalse(w.ctl.attemptInProgress, "cleared with the message applied");

        // a consumer died after marking: the next receive counts it as a failed attempt
        Working crashed = fresh();
        crashed.ctl.failingSeq = seqOf(1);
        crashed.ctl.attemptInProgress = true;
        crashed.ctl.attemptReceiveCount = 4;
        d.fold(crashed, parse(external(1, new Fixtures.Add(1), 5)), 0, Integer.MAX_VALUE, T0, new ArchivedMarks(), -1);
        assertEquals(1, crashed.ctl.failedAttempts);
        // held and tried again without a new receive: no attempt happened, none is counted
        Working held = fresh();
        held.ctl.failingSeq = seqOf(1);
        held.ctl.attemptInProgress = true;
        held.ctl.attemptReceiveCount = 4;
        d.fold(held, parse(external(1, new Fixtures.Add(1), 4)), 0, Integer.MAX_VALUE, T0, new ArchivedMarks(), -1);
        assertEquals(0, held.ctl.failedAttempts);
    }

    @Test
    void aDeferredMessageIsStashedWithATimerAtItsDeadlineAndRetriedAfterAStateChange() {
        Working w = fresh();
        Decider.Fold f = fold(w, parse(external(1, new Fixtures.WaitFor(3), 1)));
        assertInstanceOf(Stop.End.class, f.stop());
        assertEquals(List.of(Outcome.Kind.DEFERRED), kinds(w));
        assertEquals(1, w.ctl.stash.size());
        TimerEntry stashTimer = w.ctl.timer(TimerEntry.STASH_KEY).orElseThrow();
        assertEquals(T0.plus(Duration.ofMinutes(10)).toEpochMilli(), stashTimer.dueMillis());
        assertTrue(w.ctl.outbox.stream().anyMatch(e -> e instanceof OutboxEntry.Timer t
                && t.key().equals(TimerEntry.STASH_KEY)), "the timer is scheduled with the commit");

        Working later = new Working(1, w.state, w.ctl.copy());
        fold(later, parse(external(2, new Fixtures.Add(5), 1)));
        assertTrue(later.ctl.stash.isEmpty());
        assertTrue(later.ctl.timer(TimerEntry.STASH_KEY).isEmpty(), "no stash, no stash timer");
        assertEquals(List.of(Outcome.Kind.APPLIED, Outcome.Kind.APPLIED), kinds(later));
    }

    @Test
    void theStashTimerFiringRejectsWhatIsDue() {
        Working w = fresh();
        fold(w, parse(external(1, new Fixtures.WaitFor(3), 1)));
        TimerEntry t = w.ctl.timer(TimerEntry.STASH_KEY).orElseThrow();
        Instant due = Instant.ofEpochMilli(t.dueMillis());
        Working at = new Working(1, w.state, w.ctl.copy());
        Decider.Fold f = decider(COUNTER, due).fold(at, parse(firing(2, t)), 0, Integer.MAX_VALUE, due,
                new ArchivedMarks(), -1);
        assertEquals(1, f.consumed());
        assertTrue(at.ctl.stash.isEmpty());
        assertEquals(1, at.ctl.rejected);
        assertEquals("deferral deadline passed", at.ctl.recentRejections.get(0).reason());
    }

    private static Delivery firing(long seq, TimerEntry t) {
        var m = Outbound.timer(A, Outbound.idPrefix(A), new OutboxEntry.Timer(9, T0.toEpochMilli(), t.key(),
                t.generation(), t.dueMillis()), Fixtures.KEYS).message();
        return new Delivery(m.messageId(), A.groupId(), seqOf(seq), 1, T0, m.attributes(), m.body(), "r");
    }

    @Test
    void aTimerFiresOnceAndAStaleOrEarlyFiringIsRecognised() {
        Working w = fresh();
        fold(w, parse(external(1, new Fixtures.Later("k", 60_000), 1)));
        TimerEntry t = w.ctl.timer("k").orElseThrow();
        assertEquals(T0.plusSeconds(60).toEpochMilli(), t.dueMillis());

        // early: rescheduled, not fired
        Working early = new Working(1, w.state, w.ctl.copy());
        fold(early, parse(firing(2, t)));
        assertEquals(List.of(Outcome.Kind.STALE), kinds(early));
        assertTrue(early.ctl.timer("k").isPresent());

        // on time: the handler gets the timer's message, the timer is gone
        Instant due = T0.plusSeconds(60);
        Working onTime = new Working(1, w.state, w.ctl.copy());
        decider(COUNTER, due).fold(onTime, parse(firing(2, t)), 0, Integer.MAX_VALUE, due, new ArchivedMarks(), -1);
        assertEquals(List.of("k"), ((Fixtures.Counter) onTime.state).rang());
        assertTrue(onTime.ctl.timer("k").isEmpty());

        // a firing of a cancelled timer changes nothing
        Working cancelled = new Working(1, w.state, w.ctl.copy());
        fold(cancelled, parse(external(2, new Fixtures.Cancel("k"), 1)));
        assertTrue(cancelled.ctl.timer("k").isEmpty());
        Working after = new Working(2, cancelled.state, cancelled.ctl.copy());
        decider(COUNTER, due).fold(after, parse(firing(3, t)), 0, Integer.MAX_VALUE, due, new ArchivedMarks(), -1);
        assertEquals(List.of(Outcome.Kind.STALE), kinds(after));
        assertEquals(List.of(), ((Fixtures.Counter) after.state).rang());
    }

    @Test
    void moreTimersThanTheTypeAllowsFailTheDecision() {
        ActorType<Fixtures.Counter, Fixtures.Msg> one = Fixtures.counter(PoisonPolicy.DEAD_LETTER, 1);
        Working w = fresh();
        Decider.Fold f = decider(one, T0).fold(w, parse(external(1, new Fixtures.Later("a", 1000), 1),
                external(2, new Fixtures.Later("b", 1000), 1)), 0, Integer.MAX_VALUE, T0, new ArchivedMarks(), -1);
        Stop.Retry r = assertInstanceOf(Stop.Retry.class, f.stop());
        assertTrue(r.reason().contains("allows 1"), r.reason());
        assertEquals(1, w.ctl.userTimerCount());
    }

    @Test
    void sendsGoToTheOutboxInOrderWithTheSendersSequence() {
        Working w = fresh();
        fold(w, parse(external(1, new Fixtures.Tell("b", 1), 1), external(2, new Fixtures.Tell("c", 2), 1)));
        List<OutboxEntry> out = w.ctl.outbox;
        assertEquals(2, out.size());
        OutboxEntry.Message first = (OutboxEntry.Message) out.get(0);
        OutboxEntry.Message second = (OutboxEntry.Message) out.get(1);
        assertEquals(COUNTER.id("b").groupId(), first.target());
        assertEquals(1, first.outSeq());
        assertEquals(2, second.outSeq());
        assertEquals("{\"n\":2}", new String(second.body(), StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------------------------------------ last receive

    private static final RedriveStrategy QUEUE_MOVES_AFTER_3 = new RedriveStrategy.Queue(3);

    private static Decider.Fold foldWith(ActorType<?, ?> type, RedriveStrategy redrive, int keptRejections, Working w,
                                         List<Inbound> in) {
        @SuppressWarnings("unchecked")
        ActorType<Object, Object> t = (ActorType<Object, Object>) type;
        Settings base = settings(type, at(T0));
        Settings s = new Settings(base.types(), base.store(), base.mailbox(), base.scheduler(), base.clock(),
                base.codec(), base.keys(), base.maxAttempts(), base.maxConflictRetries(), keptRejections,
                base.hotMarks(), base.freshWindow(), base.horizon(), base.crashCheckAfter(),
                base.preloadConsistency(), base.recordCacheSize(), base.sentCacheSize(), base.groupExecutor(),
                base.listener(), base.nonces());
        return new Decider(s, redrive, A, t, Decider.Progress.NONE).fold(w, in, 0, Integer.MAX_VALUE, T0,
                new ArchivedMarks(), -1);
    }

    /** A copy of {@code d} as an operator moves it back: same id, attributes and body, a new sequence number. */
    private static Delivery movedBack(Delivery d, long seq) {
        return new Delivery(d.messageId(), d.groupId(), seqOf(seq), 1, d.sentAt(), d.attributes(), d.body(), "r-" + seq);
    }

    @Test
    void aProducersMessageSettledOnItsLastReceiveIsRememberedSoACopyMovedBackIsADuplicate() {
        // applied on its last receive, the acknowledgement may fail: the queue then moves it although it was
        // applied, and an operator may move it back with a new sequence number
        Working w = fresh();
        foldWith(COUNTER, QUEUE_MOVES_AFTER_3, 5, w, parse(external(1, new Fixtures.Add(2), 3)));
        assertEquals(1, w.ctl.settledOnLastReceive.size());

        Working after = new Working(1, w.state, Control.decode(w.ctl.encode()));
        Delivery copy = movedBack(external(1, new Fixtures.Add(2), 1), 9);
        foldWith(COUNTER, QUEUE_MOVES_AFTER_3, 5, after, parse(copy, external(10, new Fixtures.Add(5), 1)));
        assertEquals(List.of(Outcome.Kind.DUPLICATE, Outcome.Kind.APPLIED), kinds(after));
        assertEquals(7, ((Fixtures.Counter) after.state).value(), "the copy moved back is not applied again");

        // a duplicate on its last receive is not remembered: it may have been dead-lettered on an earlier receive,
        // and its letter moved back must apply
        Working dup = fresh();
        dup.ctl.appliedSeq = seqOf(1);
        foldWith(COUNTER, QUEUE_MOVES_AFTER_3, 5, dup, parse(external(1, new Fixtures.Add(2), 3)));
        assertEquals(List.of(Outcome.Kind.DUPLICATE), kinds(dup));
        assertTrue(dup.ctl.settledOnLastReceive.isEmpty());
        assertFalse(dup.changed);
        // before the last receive, or with no queue redrive policy, nothing is remembered (nothing to pay for)
        Working early = fresh();
        foldWith(COUNTER, QUEUE_MOVES_AFTER_3, 5, early, parse(external(1, new Fixtures.Add(2), 2)));
        Working runtime = fresh();
        foldWith(COUNTER, NO_QUEUE_REDRIVE, 5, runtime, parse(external(1, new Fixtures.Add(2), 3)));
        assertTrue(early.ctl.settledOnLastReceive.isEmpty() && runtime.ctl.settledOnLastReceive.isEmpty());
    }

    @Test
    void theLastReceiveListIsBoundedOldestFirst() {
        Control c = new Control();
        for (int i = 0; i < Control.MAX_LAST_RECEIVE + 5; i++) {
            c.settleOnLastReceive("m-" + i);
        }
        assertEquals(Control.MAX_LAST_RECEIVE, c.settledOnLastReceive.size());
        assertFalse(c.wasSettledOnLastReceive("m-0"));
        assertTrue(c.wasSettledOnLastReceive("m-" + (Control.MAX_LAST_RECEIVE + 4)));
    }

    sealed interface Ask {
    }

    record Take(long n) implements Ask {
    }

    static final ActorType<Long, Ask> STOCK = ActorType.builder("counter", Long.class, Ask.class)
            .initialState(id -> 3L)
            .on(Take.class, (s, t, ctx) -> t.n() > s ? Effect.reject("not enough") : Effect.persist(s - t.n()))
            .build();

    @Test
    void aBareRejectionOfAProducersMessageIsReportedButNotWrittenWhenNoRejectionsAreKept() {
        Working w = new Working(0, 3L, new Control());
        foldWith(STOCK, QUEUE_MOVES_AFTER_3, 0, w, parse(external(1, new Take(5), 1)));
        assertEquals(List.of(Outcome.Kind.REJECTED), kinds(w));
        assertFalse(w.changed, "a refused command costs no write");
        assertEquals(0, w.ctl.rejected);

        // kept rejections, or the last receive, are written
        Working kept = new Working(0, 3L, new Control());
        foldWith(STOCK, QUEUE_MOVES_AFTER_3, 5, kept, parse(external(1, new Take(5), 1)));
        assertTrue(kept.changed);
        assertEquals(1, kept.ctl.recentRejections.size());
        Working last = new Working(0, 3L, new Control());
        foldWith(STOCK, QUEUE_MOVES_AFTER_3, 0, last, parse(external(1, new Take(5), 3)));
        assertTrue(last.changed);
        assertEquals(seqOf(1), last.ctl.appliedSeq);

        // followed by an applied message, the applied sequence covers it
        Working both = new Working(0, 3L, new Control());
        foldWith(STOCK, QUEUE_MOVES_AFTER_3, 0, both, parse(external(1, new Take(5), 1), external(2, new Take(1), 1)));
        assertEquals(List.of(Outcome.Kind.REJECTED, Outcome.Kind.APPLIED), kinds(both));
        assertEquals(seqOf(2), both.ctl.appliedSeq);
        assertEquals(2L, both.state);
    }
}
