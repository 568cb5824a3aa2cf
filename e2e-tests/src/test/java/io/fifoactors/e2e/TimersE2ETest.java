package io.fifoactors.e2e;

import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.Poller;
import io.fifoactors.e2e.TestActors.CancelTimer;
import io.fifoactors.e2e.TestActors.StartTimer;
import io.fifoactors.e2e.TestActors.Timers;
import io.fifoactors.sqs.SqsTimerForwarder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Timers on real servers (issue 12): a handler starts timers of 3 to 4 s; with no outside wake, each firing travels
 * through SqsScheduler's standard queue and SqsTimerForwarder's loops (started with {@code start()}) into the FIFO
 * mailbox, where the Poller hands it to the actor. The firing delay (due time to handled, on the runtime's clock) is
 * measured and printed; a cancelled timer's firing arrives too and is dropped as stale, never handled.
 */
class TimersE2ETest {
    private static LocalAws aws;

    @BeforeAll
    static void startServers() {
        aws = LocalAws.start();
    }

    @AfterAll
    static void stopServers() {
        aws.close();
    }

    @Test
    void timersFireOnTheirOwnThroughTheForwarderAndACancelledOneIsDroppedAsStale() {
        LocalAws.Env env = aws.fresh("timers", OptionalInt.of(15), Duration.ofSeconds(10));
        OutcomeRecorder outcomes = new OutcomeRecorder();
        ActorSystem system = aws.system(env, TestActors.TIMER).listener(outcomes).build();
        SqsTimerForwarder forwarder = SqsTimerForwarder.builder().client(aws.sqs())
                .timerQueueUrl(env.timerQueueUrl()).mailboxQueueUrl(env.queues().queueUrl())
                .waitTime(Duration.ofSeconds(1)).build();
        Poller poller = Poller.builder().system(system).name("timers").consumers(1)
                .visibilityTimeout(Duration.ofSeconds(10)).waitTime(Duration.ofSeconds(1)).build();
        Checks checks = new Checks("timers on ElasticMQ + dynalite: SqsScheduler, SqsTimerForwarder.start(), Poller");
        String actor = "clock";
        String group = TestActors.TIMER.id(actor).groupId();
        List<String> fired = List.of("t1", "t2", "t3", "t4", "t5");
        try {
            forwarder.start();
            poller.start();
            List<io.fifoactors.core.port.OutgoingMessage> out = new ArrayList<>();
            for (int i = 0; i < fired.size(); i++) {
                out.add(system.encode(TestActors.TIMER.ref(actor).tell(new StartTimer(fired.get(i), 3000 + 250L * i)),
                        "start-" + fired.get(i)));
            }
            out.add(system.encode(TestActors.TIMER.ref(actor).tell(new StartTimer("cancelled", 3000)),
                    "start-cancelled"));
            out.add(system.encode(TestActors.TIMER.ref(actor).tell(new CancelTimer("cancelled")),
                    "cancel-cancelled"));
            system.mailbox().send(out);

            Await.until("every timer fired and the cancelled one's firing was dropped", Duration.ofSeconds(40),
                    Duration.ofMillis(100), () -> system.inspect(TestActors.TIMER, actor).state().fired().keySet()
                            .containsAll(fired) && outcomes.count(group, Outcome.Kind.STALE) >= 1,
                    () -> system.inspect(TestActors.TIMER, actor).state() + " " + outcomes.all());
            Timers s = system.inspect(TestActors.TIMER, actor).state();
            long worst = 0;
            long best = Long.MAX_VALUE;
            boolean early = false;
            for (String k : fired) {
                long delay = Duration.between(s.due().get(k), s.fired().get(k)).toMillis();
                checks.figure("timer " + k, "due " + s.due().get(k) + ", handled " + delay + " ms after");
                worst = Math.max(worst, delay);
                best = Math.min(best, delay);
                early |= delay < 0;
            }
            System.out.println("timer firing delay (due -> handled by the Poller): " + best + " to " + worst
                    + " ms over " + fired.size() + " timers");
            checks.figure("firing delay (due -> handled)", best + " to " + worst + " ms over " + fired.size()
                    + " timers");
            checks.figure("forwarder", forwarder.forwardedCount() + " forwarded, " + forwarder.resentCount()
                    + " sent on, " + forwarder.failureCount() + " failures");
            checks.figure("outcomes", outcomes.counts());
            List<Outcome> stale = outcomes.where(o -> o.groupId().equals(group) && o.kind() == Outcome.Kind.STALE);
            checks.check("every timer fired with no outside wake, never early", !early
                    && s.fired().keySet().containsAll(fired), s.toString());
            checks.check("each fired once", outcomes.appliedTwice().isEmpty()
                    && outcomes.count(group, Outcome.Kind.APPLIED) == fired.size() * 2L + 2,
                    outcomes.counts().toString());
            checks.check("the cancelled timer did not fire: its firing was dropped as stale",
                    !s.fired().containsKey("cancelled") && stale.size() == 1, stale.toString());
            checks.check("the forwarder forwarded every firing", forwarder.forwardedCount() == fired.size() + 1,
                    String.valueOf(forwarder.forwardedCount()));
            Map<String, Instant> dueLeft = system.inspect(TestActors.TIMER, actor).timers().stream()
                    .collect(java.util.stream.Collectors.toMap(t -> t.key(), t -> t.due()));
            checks.check("no timer left set", dueLeft.isEmpty(), dueLeft.toString());
        } finally {
            poller.shutdown(Duration.ofSeconds(10));
            forwarder.shutdown(Duration.ofSeconds(5));
        }
        checks.printAndAssert();
    }
}
