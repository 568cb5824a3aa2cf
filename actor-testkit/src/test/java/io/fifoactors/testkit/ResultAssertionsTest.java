package io.fifoactors.testkit;

import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.testkit.Counters.Add;
import io.fifoactors.testkit.Counters.Counter;
import io.fifoactors.testkit.Counters.Explode;
import io.fifoactors.testkit.Counters.Take;
import io.fifoactors.testkit.Counters.Transfer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static io.fifoactors.testkit.Counters.COUNTER;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The then-assertions fail with messages that show what was expected and what happened. */
class ResultAssertionsTest {
    private final ActorTestKit kit = ActorTestKit.of(COUNTER);

    private static String failure(Executable e) {
        return assertThrows(AssertionError.class, e).getMessage();
    }

    private static void assertContains(String text, String... parts) {
        for (String p : parts) {
            assertTrue(text.contains(p), () -> "expected <" + p + "> in:\n" + text);
        }
    }

    @Test
    void aWrongKindShowsTheExpectedAndTheActualOutcome() {
        Result r = kit.given(COUNTER, "c-1", new Counter(1)).when(COUNTER.ref("c-1"), new Take(5));
        assertContains(failure(r::thenApplied), "Take[amount=5] to counter/c-1: expected APPLIED but was REJECTED",
                "(not enough)");
        assertContains(failure(r::thenDeferred), "expected DEFERRED");
        assertContains(failure(r::thenDeadLettered), "expected DEAD_LETTERED");
        assertContains(failure(() -> r.thenOutcome(Outcome.Kind.HELD)), "expected HELD");
    }

    @Test
    void aWrongReasonShowsBothReasons() {
        Result r = kit.when(COUNTER.ref("c-1"), new Take(5));
        assertContains(failure(() -> r.thenRejected("too little")),
                "rejected with \"not enough\", expected \"too little\"");
        r.thenRejected().thenRejected("not enough");
    }

    @Test
    void aWrongStateShowsTheExpectedAndTheActualState() {
        Result r = kit.when(COUNTER.ref("c-1"), new Add(2));
        assertContains(failure(() -> r.thenState(new Counter(3))),
                "the state of counter/c-1 is Counter[value=2], expected Counter[value=3]");
    }

    @Test
    void aMissingSendShowsWhatWasSent() {
        kit.given(COUNTER, "c-1", new Counter(5));
        Result r = kit.when(COUNTER.ref("c-1"), new Transfer(COUNTER.ref("c-2"), 1));
        assertContains(failure(() -> r.thenSent(COUNTER.ref("c-2"), new Add(2))),
                "expected Add[amount=2] to counter/c-2 to be sent", "Add[amount=1] from counter/c-1 to counter/c-2");
        assertContains(failure(r::thenSentNothing), "expected nothing sent");
    }

    @Test
    void aDeadLetterReasonIsMatchedByPart() {
        Result r = kit.when(COUNTER.ref("c-1"), new Explode());
        r.thenDeadLettered("boom");
        assertContains(failure(() -> r.thenDeadLettered("bang")), "expected a reason containing \"bang\"",
                "handler failed 1 time");
    }

    @Test
    void aStepWithoutAMessageOfItsOwnSaysSo() {
        Result r = kit.advanceTime(java.time.Duration.ofSeconds(1));
        assertContains(failure(r::thenApplied), "this step has no message of its own");
        assertContains(failure(() -> r.thenState(new Counter(0))), "use thenStateOf");
    }
}
