package io.fifoactors.core.internal;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.FifoActorsException;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.BatchOutcome;
import io.fifoactors.core.runtime.BatchOutcome.Retry;
import io.fifoactors.core.runtime.BatchOutcome.RetryCause;
import io.fifoactors.core.runtime.FifoBatchFailures;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.RuntimeEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Processes one delivered batch: groups the deliveries by actor, reads the actors' records in one request, runs each
 * group ({@link GroupRun}) concurrently on the group executor, within the batch's deadlines and each handler's time
 * limit, sends the groups' last outboxes together, and applies the FIFO batch-failure rule. Not thread-safe; one per
 * batch.
 */
public final class BatchRun {
    private final Settings settings;
    private final RedriveStrategy redrive;
    private final Caches caches;

    public BatchRun(Settings settings, io.fifoactors.core.port.RedrivePolicy policy, Caches caches) {
        this.settings = settings;
        this.redrive = RedriveStrategy.of(policy);
        this.caches = caches;
    }

    /** A group being run, and what its handler is doing right now (for the time limit). */
    private static final class Task implements Decider.Progress {
        GroupRun run;
        FutureTask<List<Retry>> future;
        Duration handlerTimeout = Duration.ofDays(1);
        volatile int handling = -1;
        volatile long handlingSince;
        /** Set when the batch gave up on the group, with why. */
        RetryCause gaveUp;
        int timedOutAt = -1;
        Clock clock;

        @Override
        public void handling(int deliveryIndex) {
            handlingSince = clock.millis();
            handling = deliveryIndex;
        }

        @Override
        public void idle() {
            handling = -1;
        }
    }

    /** The clock in milliseconds; an interface so a task can read the settings' clock. */
    @FunctionalInterface
    private interface Clock {
        long millis();
    }

    public BatchOutcome process(List<Delivery> batch, Optional<Instant> startBy, Optional<Instant> answerBy) {
        Map<String, List<Delivery>> byGroup = new LinkedHashMap<>();
        for (Delivery d : batch) {
            byGroup.computeIfAbsent(d.groupId(), g -> new ArrayList<>()).add(d);
        }
        Map<Delivery, RetryCause> failed = new IdentityHashMap<>();
        boolean late = startBy.isPresent() && !settings.clock().instant().isBefore(startBy.get());
        Preload preload = late ? Preload.NONE : preload(byGroup.keySet());
        boolean together = byGroup.size() > 1;
        List<Task> tasks = new ArrayList<>(byGroup.size());
        for (Map.Entry<String, List<Delivery>> group : byGroup.entrySet()) {
            Task t = new Task();
            t.clock = settings.clock()::millis;
            Optional<StoredRecord> pre = null;
            boolean trusted = false;
            try {
                ActorId id = ActorId.fromGroupId(group.getKey());
                ActorType<?, ?> type = settings.typeOrNull(id.type());
                if (type != null) {
                    t.handlerTimeout = type.handlerTimeout();
                }
                if (preload.covers(id)) {
                    pre = Optional.ofNullable(preload.records.get(id));
                    trusted = preload.trusted.getOrDefault(id, false);
                }
            } catch (FifoActorsException e) {
                // an invalid group id: its run dead-letters the group
            }
            t.run = new GroupRun(settings, redrive, caches, group.getKey(), group.getValue(), pre, trusted, together,
                    t);
            tasks.add(t);
        }
        runAll(tasks, startBy, answerBy);

        List<Task> waiting = new ArrayList<>();
        List<OutgoingMessage> out = new ArrayList<>();
        for (Task t : tasks) {
            if (t.gaveUp != null) {
                giveUp(t, failed);
                continue;
            }
            List<Retry> retries = result(t);
            retries.forEach(r -> failed.put(r.delivery(), r.cause()));
            GroupRun.PendingSend p = t.run.pendingSend();
            if (p != null) {
                waiting.add(t);
                out.addAll(p.messages());
            }
        }
        // the outboxes of all actors go out together: fewer send requests than one per actor
        if (!waiting.isEmpty()) {
            Optional<String> sendFailure = Optional.empty();
            if (Thread.currentThread().isInterrupted()
                    || (answerBy.isPresent() && !settings.clock().instant().isBefore(answerBy.get()))) {
                sendFailure = Optional.of("no time left before the batch's answer deadline");
            } else {
                try {
                    settings.mailbox().send(out);
                } catch (RuntimeException e) {
                    sendFailure = Optional.of(Failures.describe(e));
                }
            }
            for (Task t : waiting) {
                t.run.completeBatchSend(sendFailure).forEach(r -> failed.put(r.delivery(), r.cause()));
            }
        }

        Map<String, RetryCause> firstCause = new HashMap<>();
        List<Delivery> retry = FifoBatchFailures.failedWithSuffix(batch, Delivery::groupId, d -> {
            RetryCause c = failed.get(d);
            if (c != null) {
                firstCause.putIfAbsent(d.groupId(), c);
            }
            return c != null;
        });
        Map<Delivery, Boolean> retrySet = new IdentityHashMap<>();
        List<Retry> retries = new ArrayList<>(retry.size());
        for (Delivery d : retry) {
            retrySet.put(d, Boolean.TRUE);
            retries.add(new Retry(d, failed.getOrDefault(d, firstCause.get(d.groupId()))));
        }
        List<Delivery> done = new ArrayList<>(batch.size());
        for (Delivery d : batch) {
            if (!retrySet.containsKey(d)) {
                done.add(d);
            }
        }
        endTraces(tasks, retries);
        return new BatchOutcome(done, retries);
    }

    /** Ends the delivery spans the groups left open (no-op without tracing). */
    private void endTraces(List<Task> tasks, List<Retry> retries) {
        if (settings.tracing() == io.fifoactors.core.runtime.MessageTracing.none()) {
            return;
        }
        Map<Delivery, RetryCause> causes = new IdentityHashMap<>();
        retries.forEach(r -> causes.put(r.delivery(), r.cause()));
        for (Task t : tasks) {
            t.run.endTraces(causes);
        }
    }

    private static List<Retry> result(Task t) {
        try {
            return t.future.get();
        } catch (ExecutionException e) {
            // a failure of the runtime or its ports that escaped the run, not of a message: this group only retries
            List<Retry> all = new ArrayList<>();
            for (Delivery d : t.run.deliveries()) {
                all.add(new Retry(d, RetryCause.INFRASTRUCTURE));
            }
            return all;
        } catch (InterruptedException | CancellationException e) {
            Thread.currentThread().interrupt();
            List<Retry> all = new ArrayList<>();
            for (Delivery d : t.run.deliveries()) {
                all.add(new Retry(d, RetryCause.ABANDONED));
            }
            return all;
        }
    }

    /** Retries a group the batch gave up on, and reports why. */
    private void giveUp(Task t, Map<Delivery, RetryCause> failed) {
        String reason = switch (t.gaveUp) {
            case NOT_STARTED -> "not started: the batch's start deadline passed";
            case HANDLER_TIMEOUT -> "the handler ran past its limit of " + t.handlerTimeout.toMillis() + " ms";
            default -> "abandoned: still running at the batch's answer deadline";
        };
        for (Delivery d : t.run.deliveries()) {
            failed.put(d, t.gaveUp);
            Outcome o = new Outcome(d.groupId(), d.messageId(), Outcome.Kind.RETRIED, reason, d.receiveCount());
            t.run.traceOutcome(o);
            emit(o);
        }
        if (t.gaveUp == RetryCause.HANDLER_TIMEOUT) {
            event(t.run.groupId(), RuntimeEvent.Kind.HANDLER_TIMEOUT, reason);
            new AttemptRecorder(settings).recordTimeout(t.run.groupId(), t.run.deliveries().get(t.timedOutAt),
                    reason);
        }
    }

    // ------------------------------------------------------------------------------------------------ running

    /**
     * Runs the groups on the group executor (on this thread without one), then waits for them
     * until the answer deadline, abandoning (with an interrupt) those still running then and any whose handler has run
     * past its time limit. An {@link Error} from a group (a simulated crash, an out-of-memory) is rethrown.
     */
    private void runAll(List<Task> tasks, Optional<Instant> startBy, Optional<Instant> answerBy) {
        Executor executor = settings.groupExecutor().orElse(null);
        RuntimeException brokenExecutor = null;
        List<Task> started = new ArrayList<>(tasks.size());
        for (Task t : tasks) {
            t.future = new FutureTask<>(() -> {
                if (startBy.isPresent() && !settings.clock().instant().isBefore(startBy.get())) {
                    t.gaveUp = RetryCause.NOT_STARTED;
                    return List.of();
                }
                return t.run.run();
            });
            // a single group too: on this thread, a hanging handler could not be abandoned at its time limit
            if (executor == null || brokenExecutor != null) {
                if (brokenExecutor != null) {
                    t.gaveUp = RetryCause.NOT_STARTED;
                    continue;
                }
                runInline(t.future);
                started.add(t);
                continue;
            }
            try {
                executor.execute(t.future);
            } catch (RejectedExecutionException e) {
                runInline(t.future); // a saturated executor slows the batch down; it must not abandon a group
            } catch (RuntimeException e) {
                brokenExecutor = e; // start nothing more, but wait for what runs
                t.gaveUp = RetryCause.NOT_STARTED;
                continue;
            }
            started.add(t);
        }
        Error error = null;
        for (Task t : started) {
            error = await(t, answerBy, error);
        }
        if (error != null) {
            throw error;
        }
        if (brokenExecutor != null) {
            throw brokenExecutor;
        }
    }

    /** Waits for one group, enforcing the deadline and the handler time limit; returns the first Error seen. */
    private Error await(Task t, Optional<Instant> answerBy, Error error) {
        while (true) {
            long now = settings.clock().millis();
            long deadline = answerBy.map(Instant::toEpochMilli).orElse(Long.MAX_VALUE);
            int handling = t.handling;
            long handlerDeadline = handling >= 0 ? t.handlingSince + t.handlerTimeout.toMillis() : Long.MAX_VALUE;
            long limit = Math.min(deadline, handlerDeadline);
            // wake up at least every second: a handler may start (and overrun) any time
            long wait = limit == Long.MAX_VALUE ? 1000 : Math.max(0, Math.min(1000, limit - now));
            try {
                t.future.get(wait, TimeUnit.MILLISECONDS);
                return error;
            } catch (TimeoutException e) {
                long at = settings.clock().millis();
                int stillHandling = t.handling;
                if (stillHandling >= 0 && at >= t.handlingSince + t.handlerTimeout.toMillis()) {
                    t.gaveUp = RetryCause.HANDLER_TIMEOUT;
                    t.timedOutAt = stillHandling;
                    cancel(t);
                    return error;
                }
                if (at >= deadline) {
                    t.gaveUp = RetryCause.ABANDONED;
                    cancel(t);
                    return error;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                t.gaveUp = RetryCause.ABANDONED;
                cancel(t);
                return error;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error err && error == null) {
                    return err;
                }
                return error;
            } catch (CancellationException e) {
                return error;
            }
        }
    }

    private static void cancel(Task t) {
        t.run.cancel();
        t.future.cancel(true);
    }

    /** Runs the task on this thread; an {@link Error} stops everything at once, as a crash stops a consumer. */
    private static void runInline(FutureTask<List<Retry>> f) {
        f.run();
        try {
            f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
        } catch (InterruptedException | CancellationException e) {
            // not possible for a task that ran to its end on this thread
        }
    }

    // ------------------------------------------------------------------------------------------------ preload

    /** The records read with the batch, and which of them are known fresh. */
    private record Preload(Map<ActorId, StoredRecord> records, Map<ActorId, Boolean> trusted,
                           java.util.Set<ActorId> covered) {
        static final Preload NONE = new Preload(Map.of(), Map.of(), java.util.Set.of());

        boolean covers(ActorId id) {
            return covered.contains(id);
        }
    }

    /**
     * Reads the records of the batch's actors in one request (with the configured consistency), except those the
     * record cache holds. If the read fails, each run reads its own record.
     */
    private Preload preload(Iterable<String> groupIds) {
        List<ActorId> ids = new ArrayList<>();
        for (String g : groupIds) {
            try {
                ActorId id = ActorId.fromGroupId(g);
                if (settings.typeOrNull(id.type()) != null) {
                    ids.add(id);
                }
            } catch (FifoActorsException e) {
                // an invalid group id is dead-lettered by its run
            }
        }
        Map<ActorId, StoredRecord> records = new HashMap<>();
        Map<ActorId, Boolean> trusted = new HashMap<>();
        java.util.Set<ActorId> covered = new java.util.HashSet<>();
        List<ActorId> unknown = new ArrayList<>();
        for (ActorId id : ids) {
            Optional<StoredRecord> cached = caches.record(id);
            if (cached.isPresent()) {
                records.put(id, cached.get());
                trusted.put(id, false);
                covered.add(id);
            } else {
                unknown.add(id);
            }
        }
        if (!unknown.isEmpty()) {
            try {
                Map<ActorId, StoredRecord> read = settings.store().loadAll(unknown, settings.preloadConsistency());
                boolean strong = settings.preloadConsistency() == io.fifoactors.core.port.Consistency.STRONG;
                for (ActorId id : unknown) {
                    StoredRecord r = read.get(id);
                    if (r != null) {
                        records.put(id, r);
                    }
                    trusted.put(id, strong);
                    covered.add(id);
                }
            } catch (RuntimeException e) {
                // each run reads its own record and meets the failure, if it lasts, itself
            }
        }
        return new Preload(records, trusted, covered);
    }

    private void emit(Outcome o) {
        try {
            settings.listener().onOutcome(o);
        } catch (RuntimeException ignored) {
            // a listener must not change what happened to a message
        }
    }

    private void event(String groupId, RuntimeEvent.Kind kind, String detail) {
        try {
            settings.listener().onEvent(new RuntimeEvent(groupId, kind, detail));
        } catch (RuntimeException ignored) {
            // as above
        }
    }
}
