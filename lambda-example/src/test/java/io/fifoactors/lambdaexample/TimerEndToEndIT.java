package io.fifoactors.lambdaexample;

import com.fasterxml.jackson.databind.JsonNode;
import io.fifoactors.lambdaexample.ReminderMessage.Cancel;
import io.fifoactors.lambdaexample.ReminderMessage.Remind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Timers end to end with no outside wake: the packaged function runs twice, once as the actor function (an event
 * source mapping emulated on the FIFO mailbox) and once as the timer function ({@code SqsTimerHandler}, an event
 * source mapping emulated on the standard timer queue). A producer asks {@link Reminders} actors for reminders; the
 * actor function commits each timer and sends its carrier to the timer queue (ElasticMQ's DelaySeconds), the timer
 * function sends carriers on hop by hop (the longest hop is 2 s here, so the longer timers take several) and forwards
 * each into the mailbox when due, and the actor function handles the firing. Prints each firing's delay past its due
 * time.
 */
class TimerEndToEndIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String HOP_SECONDS = "2";

    @Test
    void timersSetByHandlersFireThroughTheTimerFunctionWithNoOutsideWake() throws Exception {
        Object progress = new Object();
        List<EsmLoop> loops = new ArrayList<>();
        try (LocalAws aws = LocalAws.start("timers")) {
            Map<String, String> actorEnv = new HashMap<>(aws.functionEnv());
            actorEnv.put(ExampleWiring.TIMER_MAX_HOP_SECONDS, HOP_SECONDS);
            Map<String, String> timerEnv = new HashMap<>(aws.timerFunctionEnv());
            timerEnv.put(ExampleWiring.TIMER_MAX_HOP_SECONDS, HOP_SECONDS);
            try {
                EsmLoop actors = EsmLoop.start("actors", aws, aws.queues.queueUrl(), aws.queues.queueArn(), actorEnv,
                        FunctionProcess.HANDLER, progress, FunctionProcess.taskRoot("task-root-timers-actors"));
                loops.add(actors);
                EsmLoop timers = EsmLoop.start("timers", aws, aws.timerQueueUrl, aws.timerQueueArn, timerEnv,
                        FunctionProcess.TIMER_HANDLER, progress, FunctionProcess.taskRoot("task-root-timers-timers"));
                loops.add(timers);

                // the delays, in ms, of the reminders that fire; r4's is cancelled before it is due
                Map<String, Long> delays = new LinkedHashMap<>();
                delays.put("r0", 0L);
                delays.put("r1", 1_000L);
                delays.put("r2", 3_000L);
                delays.put("r3", 6_500L);
                long started = System.nanoTime();
                delays.forEach((key, delay) -> aws.producer.tell(Reminders.reminder(key),
                        new Remind("ping", delay), "remind-" + key));
                aws.producer.tell(Reminders.reminder("r4"), new Remind("ping", 4_000L), "remind-r4");
                awaitPending(aws, "r4", progress); // r4's timer committed (its carrier on its way), then cancelled
                aws.producer.tell(Reminders.reminder("r4"), new Cancel("ping"), "cancel-r4");

                awaitFired(aws, delays.keySet(), loops, progress);
                awaitDrained(aws, loops, progress);
                double seconds = (System.nanoTime() - started) / 1e9;
                loops.forEach(EsmLoop::stop);
                for (EsmLoop l : loops) {
                    assertEquals(List.of(), l.errors, l.name + " invocation errors");
                }

                List<Long> late = new ArrayList<>();
                StringBuilder each = new StringBuilder();
                for (String key : delays.keySet()) {
                    Reminders.State s = aws.producer.inspect(Reminders.TYPE, key).state();
                    assertEquals(1, s.fired().size(), key + " fired once: " + s);
                    assertEquals(List.of(), s.pending(), key);
                    Reminders.Fired f = s.fired().get(0);
                    long lateMillis = Duration.between(f.due(), f.firedAt()).toMillis();
                    assertFalse(f.firedAt().isBefore(f.due()), key + " fired early: " + f);
                    assertTrue(lateMillis < 10_000, key + " fired " + lateMillis + " ms late");
                    late.add(lateMillis);
                    each.append(String.format(" %s(%d ms): +%d ms", key, delays.get(key), lateMillis));
                }
                Reminders.State cancelled = aws.producer.inspect(Reminders.TYPE, "r4").state();
                assertEquals(List.of(), cancelled.fired(), "a cancelled reminder never fires");
                assertEquals(List.of(), cancelled.pending());

                // what the timer function did, from its own log lines
                long forwarded = 0;
                long resent = 0;
                long dropped = 0;
                for (JsonNode l : timers.fn.jsonLines()) {
                    if ("timer-batch".equals(l.path("message").asText())) {
                        forwarded += l.get("forwarded").asLong();
                        resent += l.get("resent").asLong();
                        dropped += l.get("dropped").asLong();
                    }
                }
                assertEquals(delays.size() + 1, forwarded, "each carrier forwarded once, the cancelled one too");
                // r3 needs at least 4 hops of at most 2 s unless its first send came late; r2 and r4 at least 2
                assertTrue(resent >= 2, "the longer timers took more than one hop: " + resent + " re-sends");
                assertEquals(0, dropped);
                long stale = actors.fn.jsonLines().stream()
                        .filter(l -> "outcome".equals(l.path("message").asText())
                                && "reminder/r4".equals(l.path("actor").asText())
                                && "STALE".equals(l.path("outcome").asText())).count();
                assertEquals(1, stale, "the cancelled timer's firing arrived and was dropped as stale");
                assertTrue(EsmEvents.receive(aws.sqs, aws.queues.deadLetterQueueUrl(), 10, 30, 0).isEmpty(),
                        "nothing was dead-lettered");

                List<Long> sorted = late.stream().sorted().collect(Collectors.toList());
                System.out.printf("%n[measure] timers end to end (ElasticMQ, hops of at most %s s, no outside wake):"
                                + " %d reminders fired, %d carriers forwarded, %d re-sent for another hop, 1 stale"
                                + " firing of a cancelled timer dropped; %.1f s in all%n"
                                + "[measure]   firing delay past the due time: min %d ms, median %d ms, max %d ms;"
                                + "%s%n"
                                + "[measure]   invocations: actor function %d (%d records), timer function %d (%d"
                                + " records)%n",
                        HOP_SECONDS, delays.size(), forwarded, resent, seconds, sorted.get(0),
                        sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), each,
                        actors.invocations.get(), actors.records.get(), timers.invocations.get(),
                        timers.records.get());
            } finally {
                loops.forEach(EsmLoop::close);
            }
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier done, List<EsmLoop> loops,
                              Object progress) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + TIMEOUT + "; errors: "
                        + loops.stream().flatMap(l -> l.errors.stream()).limit(3).collect(Collectors.toList()));
            }
            synchronized (progress) {
                progress.wait(250);
            }
        }
    }

    private static void awaitPending(LocalAws aws, String key, Object progress) throws InterruptedException {
        await(key + "'s timer committed", () -> !aws.producer.inspect(Reminders.TYPE, key).state().pending().isEmpty(),
                List.of(), progress);
    }

    private static void awaitFired(LocalAws aws, java.util.Set<String> keys, List<EsmLoop> loops, Object progress)
            throws InterruptedException {
        await("every reminder firing", () -> keys.stream().allMatch(k ->
                !aws.producer.inspect(Reminders.TYPE, k).state().fired().isEmpty()), loops, progress);
    }

    /** Until both queues are empty (no delayed carrier either) and neither function is invoked, twice in a row. */
    private static void awaitDrained(LocalAws aws, List<EsmLoop> loops, Object progress) throws InterruptedException {
        int[] quiet = {0};
        await("draining", () -> {
            boolean idle = loops.stream().noneMatch(l -> l.busy.get()) && aws.queued() == 0
                    && aws.queued(aws.timerQueueUrl) == 0;
            quiet[0] = idle ? quiet[0] + 1 : 0;
            return quiet[0] >= 2;
        }, loops, progress);
    }
}
