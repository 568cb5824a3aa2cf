package io.fifoactors.e2e;

import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.Poller;
import io.fifoactors.e2e.TestActors.Tags;
import io.fifoactors.e2e.TestActors.Work;
import io.fifoactors.sqs.SqsDeadLetters;
import io.fifoactors.sqswire.StoredLetter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Item 4 of issue 10 (and the poison message of the old suite): a message whose handler always fails is retried and
 * dead-lettered with its cause after maxAttempts (5), while its actor goes on with its later messages and another
 * actor carries on. An operator moves it back (SqsDeadLetters) within five minutes, before the bug is fixed: it fails
 * again and is dead-lettered again, a second letter with its reason (a new sequence number, so not dropped by the
 * dead-letter queue's deduplication). Once the bug is fixed, moving it back applies it exactly once, and moving the
 * same copy twice (a tool that died before deleting it) is dropped by the mailbox's deduplication.
 */
class DeadLetterMovedBackE2ETest {
    private static final int MAX_ATTEMPTS = 5;
    private static LocalAws aws;

    @BeforeAll
    static void startServers() {
        aws = LocalAws.start();
    }

    @AfterAll
    static void stopServers() {
        aws.close();
    }

    @AfterEach
    void mend() {
        TestActors.BROKEN.clear();
    }

    @Test
    void aDeadLetterMovedBackFailsAgainIsDeadLetteredAgainAndOnceFixedIsAppliedOnce() {
        LocalAws.Env env = aws.fresh("moved", OptionalInt.of(15), Duration.ofSeconds(10));
        OutcomeRecorder outcomes = new OutcomeRecorder();
        ActorSystem system = aws.system(env, TestActors.FLAKY).listener(outcomes).maxAttempts(MAX_ATTEMPTS).build();
        Poller poller = Poller.builder().system(system).name("moved").consumers(2)
                .visibilityTimeout(Duration.ofSeconds(10)).waitTime(Duration.ofSeconds(1))
                .retryDelay(Duration.ZERO).build();
        SqsDeadLetters dlq = SqsDeadLetters.builder().client(aws.sqs()).queues(env.queues()).build();
        String actor = "f1";
        String group = TestActors.FLAKY.id(actor).groupId();
        Checks checks = new Checks("a dead letter moved back, failing again, then fixed (" + env.redriveText()
                + ", maxAttempts " + MAX_ATTEMPTS + ")");
        TestActors.BROKEN.add("bad");
        try {
            poller.start();
            List<io.fifoactors.core.port.OutgoingMessage> out = new ArrayList<>();
            for (String tag : List.of("a", "bad", "c")) {
                out.add(system.encode(TestActors.FLAKY.ref(actor).tell(new Work(tag)), "m-" + tag));
            }
            for (int i = 1; i <= 5; i++) {
                out.add(system.encode(TestActors.FLAKY.ref("other").tell(new Work("o" + i)), "o-" + i));
            }
            system.mailbox().send(out);

            // 1. the poison message: retried, then dead-lettered with its cause; the actor and the other go on
            StoredLetter first = awaitLetter(dlq, Duration.ofSeconds(60));
            Instant firstAt = Instant.now();
            Await.until("the first dead-lettering is reported", Duration.ofSeconds(10),
                    () -> count(outcomes.of(group, "m-bad"), Outcome.Kind.DEAD_LETTERED) == 1);
            Await.until("the actor went on after it", Duration.ofSeconds(30),
                    () -> system.inspect(TestActors.FLAKY, actor).state().tags().equals(List.of("a", "c"))
                            && system.inspect(TestActors.FLAKY, "other").state().tags().size() == 5,
                    () -> outcomes.all().toString());
            List<Outcome> firstRound = outcomes.of(group, "m-bad");
            checks.figure("first letter", first.messageId() + " (" + first.deadLetterId() + "): " + first.reason());
            checks.check("the poison message was retried " + (MAX_ATTEMPTS - 1) + " times, then dead-lettered",
                    count(firstRound, Outcome.Kind.RETRIED) == MAX_ATTEMPTS - 1
                            && count(firstRound, Outcome.Kind.DEAD_LETTERED) == 1, firstRound.toString());
            checks.check("its letter has the cause", first.reason().contains("handler failed " + MAX_ATTEMPTS
                    + " times") && first.reason().contains("the handler of bad is broken"), first.reason());
            checks.check("the actor went on with its later message, the other actor carried on",
                    system.inspect(TestActors.FLAKY, actor).state().tags().equals(List.of("a", "c"))
                            && system.inspect(TestActors.FLAKY, "other").state().tags().size() == 5, "");

            // 2. moved back before the fix, within five minutes: fails again, dead-lettered again
            dlq.moveBack(List.of(first));
            StoredLetter second = awaitLetter(dlq, Duration.ofSeconds(60));
            Duration apart = Duration.between(firstAt, Instant.now());
            // the outcome is reported once the letter is on the dead-letter queue: it may come a moment after it
            Await.until("the second dead-lettering is reported", Duration.ofSeconds(10),
                    () -> count(outcomes.of(group, "m-bad"), Outcome.Kind.DEAD_LETTERED) == 2);
            List<Outcome> secondRound = outcomes.of(group, "m-bad");
            checks.figure("second letter", second.messageId() + " (" + second.deadLetterId() + "): "
                    + second.reason() + "; " + apart.toMillis() + " ms after the first");
            checks.check("moved back and failing again, it is dead-lettered again with its reason",
                    count(secondRound, Outcome.Kind.DEAD_LETTERED) == 2 && second.messageId().equals("m-bad")
                            && second.reason().contains("handler failed " + MAX_ATTEMPTS + " times"),
                    secondRound.toString());
            checks.check("the second letter is a new letter, not dropped by deduplication (within 5 minutes)",
                    !second.deadLetterId().equals(first.deadLetterId()) && apart.compareTo(Duration.ofMinutes(5)) < 0,
                    first.deadLetterId() + " vs " + second.deadLetterId());

            // 3. fixed, moved back (twice, as a tool that died before deleting would): applied exactly once
            TestActors.BROKEN.remove("bad");
            dlq.moveBack(List.of(second));
            int movedAgain;
            try {
                movedAgain = dlq.moveBack(List.of(second));
            } catch (RuntimeException e) {
                movedAgain = -1; // the letter's receipt was spent by the first move
                checks.figure("second move of the same copy", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            Await.until("the fixed message is applied", Duration.ofSeconds(30),
                    () -> system.inspect(TestActors.FLAKY, actor).state().tags().contains("bad")
                            && aws.messagesIn(env.queues().queueUrl()) == 0, () -> outcomes.all().toString());
            Tags tags = system.inspect(TestActors.FLAKY, actor).state();
            checks.figure("second move of the same copy", movedAgain >= 0 ? "sent again (" + movedAgain + ")"
                    : "refused");
            checks.figure("actor's tags", tags.tags());
            checks.figure("outcomes", outcomes.counts());
            checks.check("once fixed and moved back, it is applied exactly once", tags.count("bad") == 1
                    && count(outcomes.of(group, "m-bad"), Outcome.Kind.APPLIED) == 1, tags + " "
                    + outcomes.of(group, "m-bad"));
            checks.check("no letter left", dlq.receiveAll(Duration.ofSeconds(1)).isEmpty(), "");
            checks.check("no message reported applied twice", outcomes.appliedTwice().isEmpty(),
                    outcomes.appliedTwice().toString());
        } finally {
            poller.shutdown(Duration.ofSeconds(10));
        }
        checks.printAndAssert();
    }

    /** Receives until one letter comes (held in flight, not deleted), or fails. */
    private static StoredLetter awaitLetter(SqsDeadLetters dlq, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<StoredLetter> got = dlq.receive(1, Duration.ofSeconds(30), Duration.ofSeconds(1));
            if (!got.isEmpty()) {
                return got.get(0);
            }
        }
        throw new AssertionError("no dead letter within " + timeout);
    }

    private static long count(List<Outcome> outcomes, Outcome.Kind kind) {
        return outcomes.stream().filter(o -> o.kind() == kind).count();
    }
}
