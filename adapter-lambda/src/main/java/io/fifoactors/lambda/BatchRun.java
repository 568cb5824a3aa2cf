package io.fifoactors.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.BatchOutcome;
import io.fifoactors.core.runtime.BatchOutcome.Retry;
import io.fifoactors.core.runtime.BatchOutcome.RetryCause;
import io.fifoactors.core.runtime.ConsumerLoop;
import io.fifoactors.core.runtime.FifoBatchFailures;
import io.fifoactors.lambda.LambdaSettings.Level;
import io.fifoactors.lambda.Telemetry.InvocationStats;
import io.fifoactors.sqswire.SqsWire;
import io.fifoactors.sqswire.WireMessage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One invocation's work: decode the records (dropping dead-letter notes, which are no messages), hand the batch to the runtime with the invocation's deadlines (no group
 * starts after {@code startBy}; groups still running at {@code answerBy} are abandoned), and return the records to
 * report as failed, in event order, with the FIFO rule applied (a failed record fails every later record of its
 * group).
 *
 * <p>A port failure (the store, the mailbox or the scheduler down) is not the messages' fault: the deliveries it
 * concerns are tried again within the invocation after a jittered backoff while time is left, as a poller holds them,
 * so an outage shorter than the invocation costs no receive. What is still failing then is reported, and made
 * visible again only after a backoff that grows with the receive count (ChangeMessageVisibility), so that a longer
 * outage does not spend a message's receives at the pace of the queue's visibility timeout. Not thread-safe; one
 * per invocation.
 */
final class BatchRun {
    /** Backoff jitter: SecureRandom, so containers resumed from one SnapStart snapshot do not jitter alike. */
    private static final java.security.SecureRandom JITTER = new java.security.SecureRandom();

    /** How long to wait before a message failed by a port failure is received again, by receive count. */
    static final Duration MIN_REDELIVERY_DELAY = Duration.ofSeconds(5);
    static final Duration MAX_REDELIVERY_DELAY = Duration.ofMinutes(15);

    private final ActorSystem system;
    private final Telemetry telemetry;
    private final InvocationStats stats;
    private final Instant startBy;
    private final Instant answerBy;
    private final Clock clock;
    private final Pause pause;
    private int groupCount;

    /** How the invocation waits between tries (the handler sleeps; tests move a virtual clock). */
    @FunctionalInterface
    interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    BatchRun(ActorSystem system, Telemetry telemetry, InvocationStats stats, Instant startBy, Instant answerBy,
             Clock clock, Pause pause) {
        this.system = system;
        this.telemetry = telemetry;
        this.stats = stats;
        this.startBy = startBy;
        this.answerBy = answerBy;
        this.clock = clock;
        this.pause = pause;
    }

    int groupCount() {
        return groupCount;
    }

    /** Runs on the invocation's thread; {@code scope} is what the group threads log and count under. */
    List<SQSEvent.SQSMessage> execute(List<SQSEvent.SQSMessage> records, Telemetry.BatchScope scope) {
        Map<SQSEvent.SQSMessage, Boolean> failed = new IdentityHashMap<>();
        Map<Delivery, SQSEvent.SQSMessage> recordOf = new IdentityHashMap<>();
        List<Delivery> deliveries = new ArrayList<>(records.size());
        int notes = 0;
        for (SQSEvent.SQSMessage record : records) {
            try {
                WireMessage wire = SqsEventDecoder.toWire(record);
                if (SqsWire.isNote(wire)) {
                    // a dead-letter note moved back with its letter (a redrive from the dead-letter queue): not a
                    // message; left unreported, the event source mapping deletes it, as SqsMailbox.receive does
                    notes++;
                    Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("requestId", stats.requestId());
                    fields.put("sqsMessageId", record.getMessageId());
                    fields.put("actor", SqsEventDecoder.groupIdOrNull(record));
                    telemetry.log(Level.INFO, "dead-letter-note-dropped", fields);
                    continue;
                }
                Delivery d = SqsWire.toDelivery(wire);
                recordOf.put(d, record);
                deliveries.add(d);
            } catch (RuntimeException e) {
                failed.put(record, Boolean.TRUE);
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("requestId", stats.requestId());
                fields.put("sqsMessageId", record.getMessageId());
                fields.put("error", e.getMessage());
                telemetry.log(Level.ERROR, "undecodable-record", fields);
            }
        }
        stats.notesDropped(notes);
        groupCount = (int) deliveries.stream().map(Delivery::groupId).distinct().count();

        List<Retry> retries;
        scope.open(stats, deliveries);
        try {
            retries = processHoldingThroughPortFailures(deliveries);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (RuntimeException | Error e) {
            // the runtime handles message and group failures itself; this is a failure of the runtime as a whole
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("requestId", stats.requestId());
            fields.put("error", Handlers.describe(e));
            telemetry.log(Level.ERROR, "batch-failed", fields);
            retries = new ArrayList<>();
            for (Delivery d : deliveries) {
                retries.add(new Retry(d, RetryCause.INFRASTRUCTURE));
            }
        } finally {
            scope.close();
        }
        delayRedelivery(retries);
        for (Retry r : retries) {
            SQSEvent.SQSMessage record = recordOf.get(r.delivery());
            if (record != null) {
                failed.put(record, Boolean.TRUE);
            }
        }
        return FifoBatchFailures.failedWithSuffix(records, BatchRun::groupKey, failed::containsKey);
    }

    /** Processes the batch, then tries what port failures held back again while the invocation has time. */
    private List<Retry> processHoldingThroughPortFailures(List<Delivery> deliveries) {
        BatchOutcome outcome = system.process(deliveries, startBy, answerBy);
        List<Retry> retries = new ArrayList<>(outcome.retries());
        int rounds = 0;
        while (true) {
            List<Delivery> held = new ArrayList<>();
            List<Retry> others = new ArrayList<>();
            for (Retry r : retries) {
                if (r.cause() == RetryCause.INFRASTRUCTURE) {
                    held.add(r.delivery());
                } else {
                    others.add(r);
                }
            }
            if (held.isEmpty()) {
                break;
            }
            Duration wait = ConsumerLoop.backoff(rounds + 1, Duration.ofMillis(200), Duration.ofSeconds(5),
                    JITTER.nextDouble());
            if (clock.instant().plus(wait).isAfter(startBy)) {
                break; // no time left for another try: report them
            }
            rounds++;
            try {
                pause.pause(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            BatchOutcome again = system.process(held, startBy, answerBy);
            others.addAll(again.retries());
            retries = others;
        }
        stats.heldRounds(rounds);
        logDeadlines(retries);
        return retries;
    }

    /**
     * Delays the next receive of messages that failed because a port was down, by their receive count (5 s doubling
     * to 15 min): the outage is given time to pass without spending the messages' receives. Best effort.
     */
    private void delayRedelivery(List<Retry> retries) {
        Map<Duration, List<Delivery>> byDelay = new LinkedHashMap<>();
        for (Retry r : retries) {
            if (r.cause() == RetryCause.INFRASTRUCTURE) {
                Duration delay = ConsumerLoop.backoff(r.delivery().receiveCount(), MIN_REDELIVERY_DELAY,
                        MAX_REDELIVERY_DELAY, 1.0);
                byDelay.computeIfAbsent(Duration.ofSeconds(delay.toSeconds()), k -> new ArrayList<>())
                        .add(r.delivery());
            }
        }
        byDelay.forEach((delay, ds) -> {
            try {
                system.mailbox().retryAfter(ds, delay);
            } catch (RuntimeException e) {
                // the mailbox may be what is down: the messages come back after the queue's visibility timeout
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("requestId", stats.requestId());
                fields.put("messages", ds.size());
                fields.put("error", e.getClass().getName());
                telemetry.log(Level.WARN, "redelivery-delay-failed", fields);
            }
        });
    }

    private void logDeadlines(List<Retry> retries) {
        List<Delivery> notStarted = new ArrayList<>();
        List<Delivery> abandoned = new ArrayList<>();
        for (Retry r : retries) {
            if (r.cause() == RetryCause.NOT_STARTED) {
                notStarted.add(r.delivery());
            } else if (r.cause() == RetryCause.ABANDONED) {
                abandoned.add(r.delivery());
            }
        }
        logGroups(notStarted, "group-not-started", "too little time left to start; reported for redelivery");
        logGroups(abandoned, "group-abandoned",
                "still running when the invocation had to answer; reported for redelivery");
        stats.deadlineSkipped(notStarted.size() + abandoned.size());
    }

    private void logGroups(List<Delivery> deliveries, String message, String detail) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Delivery d : deliveries) {
            counts.merge(d.groupId(), 1, Integer::sum);
        }
        counts.forEach((group, n) -> {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("requestId", stats.requestId());
            fields.put("actor", group);
            fields.put("messages", n);
            fields.put("detail", detail);
            telemetry.log(Level.WARN, message, fields);
        });
    }

    /** The group a record belongs to for the FIFO rule; a record without one is a group of its own. */
    private static String groupKey(SQSEvent.SQSMessage r) {
        String g = SqsEventDecoder.groupIdOrNull(r);
        return g != null ? g : "\u0000" + System.identityHashCode(r);
    }
}
