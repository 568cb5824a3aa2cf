package io.fifoactors.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.BatchOutcome;
import io.fifoactors.core.runtime.FifoBatchFailures;
import io.fifoactors.lambda.LambdaSettings.Level;
import io.fifoactors.lambda.Telemetry.InvocationStats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One invocation's work: decode the records, hand the batch to the runtime with the invocation's deadlines (no group
 * starts after {@code startBy}; groups still running at {@code answerBy} are abandoned), and return the records to
 * report as failed, in event order, with the FIFO rule applied (a failed record fails every later record of its
 * group). The whole batch goes through one {@link ActorSystem#process(List, Instant, Instant)} call, so its records
 * are read in one request and its outgoing messages sent together. Not thread-safe; one per invocation.
 */
final class BatchRun {
    private final ActorSystem system;
    private final Telemetry telemetry;
    private final InvocationStats stats;
    private final Instant startBy;
    private final Instant answerBy;
    private int groupCount;

    BatchRun(ActorSystem system, Telemetry telemetry, InvocationStats stats, Instant startBy, Instant answerBy) {
        this.system = system;
        this.telemetry = telemetry;
        this.stats = stats;
        this.startBy = startBy;
        this.answerBy = answerBy;
    }

    int groupCount() {
        return groupCount;
    }

    /** Runs on the invocation's thread; {@code scope} is what the group threads log and count under. */
    List<SQSEvent.SQSMessage> execute(List<SQSEvent.SQSMessage> records, Telemetry.BatchScope scope) {
        Map<SQSEvent.SQSMessage, Boolean> failed = new IdentityHashMap<>();
        Map<Delivery, SQSEvent.SQSMessage> recordOf = new IdentityHashMap<>();
        List<Delivery> deliveries = new ArrayList<>(records.size());
        for (SQSEvent.SQSMessage record : records) {
            try {
                Delivery d = SqsEventDecoder.decode(record);
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
        groupCount = (int) deliveries.stream().map(Delivery::groupId).distinct().count();

        List<Delivery> retry;
        scope.open(stats, deliveries);
        try {
            BatchOutcome outcome = system.process(deliveries, startBy, answerBy);
            retry = outcome.failed();
            logGroups(outcome.notStarted(), "group-not-started", "too little time left to start; reported for redelivery");
            logGroups(outcome.abandoned(), "group-abandoned",
                    "still running when the invocation had to answer; reported for redelivery");
            stats.deadlineSkipped(outcome.notStarted().size() + outcome.abandoned().size());
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (RuntimeException | Error e) {
            // the runtime handles message and group failures itself; this is a failure of the runtime as a whole
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("requestId", stats.requestId());
            fields.put("error", e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            telemetry.log(Level.ERROR, "batch-failed", fields);
            retry = deliveries;
        } finally {
            scope.close();
        }
        for (Delivery d : retry) {
            SQSEvent.SQSMessage r = recordOf.get(d);
            if (r != null) {
                failed.put(r, Boolean.TRUE);
            }
        }
        return FifoBatchFailures.failedWithSuffix(records, BatchRun::groupKey, failed::containsKey);
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
