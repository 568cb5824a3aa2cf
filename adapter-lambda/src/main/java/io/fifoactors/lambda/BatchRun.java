package io.fifoactors.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.BatchOutcome;
import io.fifoactors.core.runtime.FifoBatchFailures;
import io.fifoactors.lambda.LambdaSettings.Level;
import io.fifoactors.lambda.Telemetry.InvocationStats;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One invocation's work: decode the records, run each group through the runtime on the group threads (a group is
 * started only before {@code startBy}), wait for the groups until {@code answerBy}, and return the records to
 * report as failed, in event order, with the FIFO rule applied (a failed record fails every later record of its
 * group). Groups are run as separate {@link ActorSystem#process} calls so that the deadline can be checked before
 * each one starts; the runtime's semantics per group are the same. Not thread-safe; one per invocation.
 */
final class BatchRun {
    private final ActorSystem system;
    private final ExecutorService executor;
    private final Telemetry telemetry;
    private final Clock clock;
    private final InvocationStats stats;
    private final Instant startBy;
    private final Instant answerBy;
    private final AtomicInteger deadlineSkipped = new AtomicInteger();
    private int groupCount;

    BatchRun(ActorSystem system, ExecutorService executor, Telemetry telemetry, Clock clock, InvocationStats stats,
             Instant startBy, Instant answerBy) {
        this.system = system;
        this.executor = executor;
        this.telemetry = telemetry;
        this.clock = clock;
        this.stats = stats;
        this.startBy = startBy;
        this.answerBy = answerBy;
    }

    int groupCount() {
        return groupCount;
    }

    List<SQSEvent.SQSMessage> execute(List<SQSEvent.SQSMessage> records) {
        Map<SQSEvent.SQSMessage, Boolean> failed = new IdentityHashMap<>();
        Map<Delivery, SQSEvent.SQSMessage> recordOf = new IdentityHashMap<>();
        Map<String, List<Delivery>> byGroup = new LinkedHashMap<>();
        for (SQSEvent.SQSMessage record : records) {
            try {
                Delivery d = SqsEventDecoder.decode(record);
                recordOf.put(d, record);
                byGroup.computeIfAbsent(d.groupId(), g -> new ArrayList<>()).add(d);
            } catch (RuntimeException e) {
                failed.put(record, Boolean.TRUE);
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("requestId", stats.requestId());
                fields.put("sqsMessageId", record.getMessageId());
                fields.put("error", e.getMessage());
                telemetry.log(Level.ERROR, "undecodable-record", fields);
            }
        }
        groupCount = byGroup.size();

        List<Map.Entry<String, List<Delivery>>> groups = new ArrayList<>(byGroup.entrySet());
        List<Future<List<Delivery>>> running = new ArrayList<>(groups.size());
        for (Map.Entry<String, List<Delivery>> g : groups) {
            running.add(executor.submit(() -> runGroup(g.getKey(), g.getValue())));
        }
        boolean interrupted = false;
        for (int i = 0; i < groups.size(); i++) {
            String groupId = groups.get(i).getKey();
            List<Delivery> deliveries = groups.get(i).getValue();
            Future<List<Delivery>> f = running.get(i);
            List<Delivery> retry;
            try {
                long wait = Math.max(0, Duration.between(clock.instant(), answerBy).toMillis());
                retry = interrupted ? abandon(f, groupId, deliveries) : f.get(wait, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                retry = abandon(f, groupId, deliveries);
            } catch (InterruptedException e) {
                interrupted = true;
                retry = abandon(f, groupId, deliveries);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof VirtualMachineError fatal) {
                    throw fatal;
                }
                groupFailed(groupId, e.getCause());
                retry = deliveries;
            }
            for (Delivery d : retry) {
                SQSEvent.SQSMessage r = recordOf.get(d);
                if (r != null) {
                    failed.put(r, Boolean.TRUE);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        stats.deadlineSkipped(deadlineSkipped.get());
        return FifoBatchFailures.failedWithSuffix(records, BatchRun::groupKey, failed::containsKey);
    }

    /** The group a record belongs to for the FIFO rule; a record without one is a group of its own. */
    private static String groupKey(SQSEvent.SQSMessage r) {
        String g = SqsEventDecoder.groupIdOrNull(r);
        return g != null ? g : "\u0000" + System.identityHashCode(r);
    }

    /** Runs on a group thread: the whole group, unless the start deadline has passed. */
    private List<Delivery> runGroup(String groupId, List<Delivery> deliveries) {
        if (!clock.instant().isBefore(startBy)) {
            deadlineSkipped.addAndGet(deliveries.size());
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("requestId", stats.requestId());
            fields.put("actor", groupId);
            fields.put("messages", deliveries.size());
            fields.put("detail", "too little time left to start; reported for redelivery");
            telemetry.log(Level.WARN, "group-not-started", fields);
            return deliveries;
        }
        Telemetry.enter(stats, deliveries);
        try {
            BatchOutcome outcome = system.process(deliveries);
            return outcome.failed();
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (RuntimeException | Error e) {
            // the runtime handles message failures itself; this is a failure of the runtime or its ports
            groupFailed(groupId, e);
            return deliveries;
        } finally {
            Telemetry.leave();
        }
    }

    private List<Delivery> abandon(Future<List<Delivery>> f, String groupId, List<Delivery> deliveries) {
        if (f.isDone() && !f.isCancelled()) {
            try {
                return f.get();
            } catch (InterruptedException | ExecutionException e) {
                return deliveries;
            }
        }
        // Interrupting makes a blocked port call give up; whatever it committed is recognised on redelivery.
        f.cancel(true);
        deadlineSkipped.addAndGet(deliveries.size());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("requestId", stats.requestId());
        fields.put("actor", groupId);
        fields.put("messages", deliveries.size());
        fields.put("detail", "still running when the invocation had to answer; reported for redelivery");
        telemetry.log(Level.WARN, "group-abandoned", fields);
        return deliveries;
    }

    private void groupFailed(String groupId, Throwable e) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("requestId", stats.requestId());
        fields.put("actor", groupId);
        fields.put("error", e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        telemetry.log(Level.ERROR, "group-failed", fields);
    }
}
