package io.fifoactors.e2e;

import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.BatchOutcome;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.Poller;
import io.fifoactors.core.runtime.RuntimeEvent;
import io.fifoactors.e2e.TestActors.Task;
import io.fifoactors.sqs.SqsMailbox;
import io.fifoactors.sqswire.StoredLetter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;

/**
 * Item 5 of issue 10, a hanging handler: an actor type with a 2 s time limit whose handler, for one message, blocks
 * until the test ends (ignoring interrupts, as a call stuck in native code would). The message arrives in the same
 * batches as nine other actors' messages: only its group is released and retried, the nine carry on (never
 * retried), and the hang counts as a handler failure, so after maxAttempts (5) it is dead-lettered with a reason that
 * names the time limit, and its actor goes on. Its later tries come alone in their batches (the others are done by
 * then): they must be released at the time limit too. When the hung calls finally return, nothing they decided is
 * committed.
 */
class HangingHandlerE2ETest {
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
    void release() {
        TestActors.RELEASE.countDown();
    }

    @Test
    void aHangingHandlerReleasesOnlyItsGroupAndCountsAsAFailure() {
        TestActors.RELEASE = new CountDownLatch(1);
        TestActors.HUNG.set(0);
        TestActors.RETURNED.set(0);
        LocalAws.Env env = aws.fresh("hang", OptionalInt.of(15), Duration.ofSeconds(10));
        OutcomeRecorder outcomes = new OutcomeRecorder();
        RecordingMailbox mailbox = new RecordingMailbox(SqsMailbox.builder().client(aws.sqs())
                .queues(env.queues()).build());
        ActorSystem system = aws.system(env, TestActors.HANGING).mailbox(mailbox).listener(outcomes)
                .maxAttempts(MAX_ATTEMPTS).build();
        Poller poller = Poller.builder().system(system).name("hang").consumers(1)
                .visibilityTimeout(Duration.ofSeconds(10)).waitTime(Duration.ofSeconds(1))
                .retryDelay(Duration.ZERO).build();
        String hung = TestActors.HANGING.id("h0").groupId();
        Checks checks = new Checks("a hanging handler (time limit " + TestActors.HANG_LIMIT.toMillis() + " ms, "
                + env.redriveText() + ", maxAttempts " + MAX_ATTEMPTS + ")");
        try {
            List<OutgoingMessage> out = new ArrayList<>();
            out.add(system.encode(TestActors.HANGING.ref("h0").tell(new Task("hang")), "m-hang"));
            for (int i = 1; i <= 10; i++) {
                for (int o = 1; o <= 9; o++) {
                    out.add(system.encode(TestActors.HANGING.ref("o" + o).tell(new Task("t" + i)),
                            "o" + o + "-" + i));
                }
            }
            out.add(system.encode(TestActors.HANGING.ref("h0").tell(new Task("after-1")), "m-after-1"));
            out.add(system.encode(TestActors.HANGING.ref("h0").tell(new Task("after-2")), "m-after-2"));
            system.mailbox().send(out);
            poller.start();

            Await.until("the hanging message is dead-lettered and its actor went on", Duration.ofSeconds(90),
                    Duration.ofMillis(200), () -> system.inspect(TestActors.HANGING, "h0").state().tags()
                            .equals(List.of("after-1", "after-2")),
                    () -> poller.stats() + " " + outcomes.of(hung, "m-hang"));
            Await.until("the nine others are done", Duration.ofSeconds(30), Duration.ofMillis(200),
                    () -> othersDone(system), () -> outcomes.counts().toString());
            List<StoredLetter> letters = new DeadLetterProbe(aws.sqs(), env.queues()).awaitTaken(1,
                    Duration.ofSeconds(10));

            // which batches held the hanging message, and what became of the others in them
            int mixed = 0;
            int alone = 0;
            List<String> othersRetried = new ArrayList<>();
            for (List<Delivery> batch : mailbox.batches()) {
                Delivery h = batch.stream().filter(d -> d.messageId().equals("m-hang")).findFirst().orElse(null);
                if (h == null) {
                    continue;
                }
                if (batch.stream().allMatch(d -> d.groupId().equals(hung))) {
                    alone++;
                    continue;
                }
                mixed++;
                for (Delivery d : batch) {
                    if (d.groupId().equals(hung)) {
                        continue;
                    }
                    boolean settled = outcomes.of(d.groupId(), d.messageId()).stream()
                            .anyMatch(o -> o.receiveCount() == d.receiveCount() && o.kind() == Outcome.Kind.APPLIED);
                    if (!settled) {
                        othersRetried.add(d.toString());
                    }
                }
            }
            List<Outcome> hangOutcomes = outcomes.of(hung, "m-hang");
            long retried = hangOutcomes.stream().filter(o -> o.kind() == Outcome.Kind.RETRIED).count();
            String reason = letters.isEmpty() ? "" : letters.get(0).reason();
            int maxOtherReceive = outcomes.where(o -> !o.groupId().equals(hung)).stream()
                    .mapToInt(Outcome::receiveCount).max().orElse(0);
            Poller.Stats stats = poller.stats();
            checks.figure("batches holding the hanging message", mixed + " with other actors' messages, " + alone
                    + " alone")
                    .figure("hung handler calls", TestActors.HUNG.get())
                    .figure("its outcomes", hangOutcomes.stream().map(o -> o.kind() + " (receive "
                            + o.receiveCount() + "): " + o.detail()).toList())
                    .figure("dead letter", letters.isEmpty() ? "(none)" : reason)
                    .figure("handler time-out events", outcomes.events(RuntimeEvent.Kind.HANDLER_TIMEOUT))
                    .figure("poller", "retried " + stats.retried() + ", " + stats.batches() + " batches");
            checks.check("it shared batches with the nine others", mixed >= 1, mixed + " batches");
            checks.check("only its group was released: the others in its batches were applied there",
                    othersRetried.isEmpty(), othersRetried.toString());
            checks.check("the nine others carried on, never retried", othersDone(system) && maxOtherReceive == 1,
                    "highest receive count of theirs " + maxOtherReceive);
            checks.check("the hang counted as a handler failure: " + MAX_ATTEMPTS + " hung attempts, each released"
                            + " at the time limit", TestActors.HUNG.get() == MAX_ATTEMPTS
                            && retried >= MAX_ATTEMPTS - 1
                            && stats.retried(BatchOutcome.RetryCause.HANDLER_TIMEOUT) >= MAX_ATTEMPTS - 1,
                    TestActors.HUNG.get() + " hung, " + retried + " retried");
            checks.check("then dead-lettered with a reason naming the time limit", letters.size() == 1
                    && reason.contains("handler failed " + MAX_ATTEMPTS + " times")
                    && reason.contains("limit of " + TestActors.HANG_LIMIT.toMillis() + " ms"), reason);

            // the hung calls return now: what they decided must not be committed
            TestActors.RELEASE.countDown();
            Await.until("the hung calls returned", Duration.ofSeconds(10),
                    () -> TestActors.RETURNED.get() == TestActors.HUNG.get());
            boolean zombie = false;
            for (int i = 0; i < 20 && !zombie; i++) {
                zombie = system.inspect(TestActors.HANGING, "h0").state().tags().contains("hang");
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
            }
            checks.check("nothing a released call decided was committed when it finally returned", !zombie,
                    system.inspect(TestActors.HANGING, "h0").state().toString());
            checks.check("no message reported applied twice", outcomes.appliedTwice().isEmpty(),
                    outcomes.appliedTwice().toString());
        } finally {
            TestActors.RELEASE.countDown();
            poller.shutdown(Duration.ofSeconds(10));
        }
        checks.printAndAssert();
    }

    /**
     * The same hang with nothing else to do: every batch holds only the hanging actor's messages. The time limit
     * must release it all the same (a batch of one group must not run its handler where no watchdog can abandon it).
     */
    @Test
    void aHangingHandlerAloneInItsBatchesIsReleasedAtTheTimeLimitToo() {
        TestActors.RELEASE = new CountDownLatch(1);
        TestActors.HUNG.set(0);
        TestActors.RETURNED.set(0);
        int maxAttempts = 2;
        LocalAws.Env env = aws.fresh("hang-alone", OptionalInt.of(15), Duration.ofSeconds(10));
        OutcomeRecorder outcomes = new OutcomeRecorder();
        ActorSystem system = aws.system(env, TestActors.HANGING).listener(outcomes).maxAttempts(maxAttempts).build();
        Poller poller = Poller.builder().system(system).name("hang-alone").consumers(1)
                .visibilityTimeout(Duration.ofSeconds(10)).waitTime(Duration.ofSeconds(1))
                .retryDelay(Duration.ZERO).build();
        String hung = TestActors.HANGING.id("h1").groupId();
        Checks checks = new Checks("a hanging handler alone in its batches (time limit "
                + TestActors.HANG_LIMIT.toMillis() + " ms, maxAttempts " + maxAttempts + ")");
        try {
            system.mailbox().send(List.of(
                    system.encode(TestActors.HANGING.ref("h1").tell(new Task("hang")), "m-hang"),
                    system.encode(TestActors.HANGING.ref("h1").tell(new Task("after")), "m-after")));
            poller.start();
            Await.until("the hanging message is dead-lettered and its actor went on", Duration.ofSeconds(30),
                    Duration.ofMillis(200), () -> system.inspect(TestActors.HANGING, "h1").state().tags()
                            .equals(List.of("after")),
                    () -> "hung calls " + TestActors.HUNG.get() + ", " + poller.stats() + " "
                            + outcomes.of(hung, "m-hang"));
            List<Outcome> o = outcomes.of(hung, "m-hang");
            checks.figure("its outcomes", o.stream().map(x -> x.kind() + " (receive " + x.receiveCount() + "): "
                    + x.detail()).toList());
            checks.check("each hung attempt released at the time limit, then dead-lettered with the reason",
                    TestActors.HUNG.get() == maxAttempts && o.get(o.size() - 1).kind() == Outcome.Kind.DEAD_LETTERED
                            && o.get(o.size() - 1).detail().contains("limit of " + TestActors.HANG_LIMIT.toMillis()),
                    o.toString());
        } finally {
            TestActors.RELEASE.countDown();
            poller.shutdown(Duration.ofSeconds(10));
        }
        checks.printAndAssert();
    }

    private static boolean othersDone(ActorSystem system) {
        for (int o = 1; o <= 9; o++) {
            if (system.inspect(TestActors.HANGING, "o" + o).state().tags().size() != 10) {
                return false;
            }
        }
        return true;
    }
}
