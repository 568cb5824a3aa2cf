package io.fifoactors.testkit;

import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.testkit.Counters.Add;
import io.fifoactors.testkit.Counters.Counter;
import io.fifoactors.testkit.Counters.CounterMsg;
import io.fifoactors.testkit.Counters.Take;
import io.fifoactors.testkit.Counters.Transfer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static io.fifoactors.testkit.Counters.COUNTER;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The then-assertions fail with messages that show what was expected and what happened. */
class ResultAssertionsTest {
    private final ActorTestKit<Counter, CounterMsg> kit = ActorTestKit.of(COUNTER).key("c-1");

    private static String failure(Executable e) {
        return assertThrows(AssertionError.class, e).getMessage();
    }

    private static void assertContains(String text, String... parts) {
        for (String p : parts) {
            assertTrue(text.contains(p), () -> "expected <" + p + "> in:\n" + text);
        }
    }

    @Test
    void wrongKindShowsExpectedAndActualOutcome() {
        Result<Counter> r = kit.given(new Counter(1)).when(new Take(5));
        assertContains(failure(r::thenApplied),
                "counter/c-1, after Take[amount=5]: expected it to be APPLIED",
                "but it was REJECTED (not enough)",
                "REJECTED " + r.messageId() + " (not enough)",
                "state after: Counter[value=1]");
        assertContains(failure(r::thenDeferred), "expected it to be DEFERRED");
        assertContains(failure(r::thenDeadLettered), "expected it to be DEAD_LETTERED");
        assertContains(failure(() -> r.thenOutcome(Outcome.Kind.HELD)), "expected it to be HELD");
    }

    @Test
    void wrongReasonShowsBothReasons() {
        Result<Counter> r = kit.when(new Take(5));
        assertContains(failure(() -> r.thenRejected("too little")),
                "expected it to be REJECTED with reason \"too little\"", "but it was REJECTED (not enough)");
        r.thenRejected().thenRejected("not enough");
    }

    @Test
    void wrongStateShowsExpectedAndActualState() {
        Result<Counter> r = kit.when(new Add(2));
        assertContains(failure(() -> r.thenState(new Counter(3))),
                "expected state Counter[value=3]", "but the state is Counter[value=2]");
    }

    @Test
    void missingSendShowsWhatWasSent() {
        Result<Counter> r = kit.given(new Counter(5)).when(new Transfer("c-2", 1));
        assertContains(failure(() -> r.thenSent(COUNTER.id("c-2"), new Add(2))),
                "expected it to send Add[amount=2] to counter/c-2", "but it sent [Add[amount=1] to counter/c-2]");
        assertContains(failure(r::thenSentNothing), "expected it to send nothing");
        Result<Counter> quiet = kit.when(new Add(1));
        assertContains(failure(() -> quiet.thenSent(COUNTER.id("c-2"), new Add(1))), "but it sent nothing");
    }

    @Test
    void deadLetterReasonIsMatchedByPart() {
        Result<Counter> r = kit.when(new Counters.Explode());
        r.thenDeadLettered("boom");
        assertContains(failure(() -> r.thenDeadLettered("bang")),
                "DEAD_LETTERED with a reason containing \"bang\"", "handler failed 1 time");
    }
}
