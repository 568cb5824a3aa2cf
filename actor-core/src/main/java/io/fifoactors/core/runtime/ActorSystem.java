package io.fifoactors.core.runtime;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.FifoActorsException;
import io.fifoactors.core.MessageEncodingException;
import io.fifoactors.core.codec.Codec;
import io.fifoactors.core.codec.JacksonCodec;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.StateStore;
import io.fifoactors.core.port.StoredRecord;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The transport-independent runtime: registered actor types over a {@link StateStore} and a {@link Mailbox}. A
 * consumer (the Lambda handler, a poller, the in-memory simulator) hands it delivered batches; it processes each
 * group (actor) independently, concurrently when given an executor, the messages of a group strictly in order and one
 * at a time, and folds all of one actor's messages in a batch into one conditional state write.
 *
 * <p>Effectively-once: a message's effects (state, outgoing messages, rejection and deferral records) are committed
 * in one atomic write together with the actor's applied-sequence mark and per-sender marks; outgoing messages are
 * sent after the commit with deterministic ids; redeliveries and re-sends are recognised and skipped. The precise
 * contract is in docs/semantics.md.
 *
 * <pre>{@code
 * ActorSystem system = ActorSystem.builder()
 *         .register(Ledger.ACCOUNT)
 *         .stateStore(store).mailbox(mailbox).clock(clock)
 *         .maxAttempts(5).redriveMaxReceiveCount(15)
 *         .build();
 * BatchOutcome outcome = system.process(mailbox.receive(10, Duration.ofSeconds(30), Duration.ofSeconds(1)));
 * }</pre>
 *
 * <p>Thread-safe: several consumers may share one instance.
 */
public final class ActorSystem {
    private final Map<String, ActorType<?, ?>> types;
    private final StateStore store;
    private final Mailbox mailbox;
    private final Clock clock;
    private final Codec codec;
    private final int maxAttempts;
    private final int redriveMaxReceiveCount;
    private final boolean runtimeRedrives;
    private final int maxConflictRetries;
    private final int maxSenderMarks;
    private final int keptRejections;
    private final Executor groupExecutor;
    private final OutcomeListener listener;
    private final SentOutbox sentOutbox;
    private final RecordCache records;

    private ActorSystem(Builder b) {
        this.types = Collections.unmodifiableMap(new LinkedHashMap<>(b.types));
        this.store = b.store;
        this.mailbox = b.mailbox;
        this.clock = b.clock;
        this.codec = b.codec;
        this.maxAttempts = b.maxAttempts;
        this.redriveMaxReceiveCount = b.redriveMaxReceiveCount;
        this.runtimeRedrives = b.runtimeRedriveSet;
        this.maxConflictRetries = b.maxConflictRetries;
        this.maxSenderMarks = b.maxSenderMarks;
        this.keptRejections = b.keptRejections;
        this.groupExecutor = b.groupExecutor;
        this.listener = b.listener;
        this.sentOutbox = new SentOutbox(b.sentCacheSize);
        this.records = b.recordCacheSize == 0 ? null : new RecordCache(b.recordCacheSize);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Processes one delivered batch (any size; SQS gives at most 10) and returns which deliveries are settled and
     * which must be redelivered. Performs the state commits, the outgoing sends and the dead-letter sends; does not
     * acknowledge or release (the caller does, or Lambda does through the partial batch response).
     */
    public BatchOutcome process(List<Delivery> batch) {
        return process(batch, null, null);
    }

    /**
     * Processes the batch like {@link #process(List)} within deadlines read from this system's clock: a group not
     * started before {@code startBy} is not started at all, and the call returns by {@code answerBy}, interrupting
     * groups still running then (what they committed is recognised on redelivery; this needs a
     * {@link Builder#groupExecutor}: without one the groups run on the calling thread, which no deadline interrupts). Both kinds are reported failed
     * and listed in {@link BatchOutcome#notStarted()} and {@link BatchOutcome#abandoned()}. An interrupt of the
     * calling thread abandons the batch the same way. {@code null} means no deadline.
     *
     * <pre>{@code
     * Instant end = clock.instant().plusMillis(context.getRemainingTimeInMillis());
     * BatchOutcome r = system.process(batch, end.minusSeconds(3), end.minusMillis(500));
     * }</pre>
     */
    public BatchOutcome process(List<Delivery> batch, Instant startBy, Instant answerBy) {
        Map<String, List<Delivery>> byGroup = new LinkedHashMap<>();
        for (Delivery d : batch) {
            byGroup.computeIfAbsent(d.groupId(), g -> new ArrayList<>()).add(d);
        }
        Map<Delivery, Boolean> failed = Collections.synchronizedMap(new IdentityHashMap<>());
        List<Delivery> notStarted = Collections.synchronizedList(new ArrayList<>());
        List<Delivery> abandoned = new ArrayList<>();
        boolean late = startBy != null && !clock.instant().isBefore(startBy);
        Map<ActorId, StoredRecord> preloaded = late ? null : preload(byGroup.keySet());
        boolean together = byGroup.size() > 1;
        List<ActorRunner> runners = new ArrayList<>(byGroup.size());
        List<Runnable> work = new ArrayList<>(byGroup.size());
        for (Map.Entry<String, List<Delivery>> group : byGroup.entrySet()) {
            List<Delivery> deliveries = group.getValue();
            ActorRunner runner = new ActorRunner(this, group.getKey(), deliveries, preloaded, together);
            runners.add(runner);
            work.add(() -> {
                if (startBy != null && !clock.instant().isBefore(startBy)) {
                    notStarted.addAll(deliveries);
                    giveUp(group.getKey(), deliveries, failed, "not started: the batch's start deadline passed");
                    return;
                }
                try {
                    runner.run().forEach(d -> failed.put(d, Boolean.TRUE));
                } catch (RuntimeException e) {
                    // a failure of the runtime or its ports, not of a message: this group only is retried
                    giveUp(group.getKey(), deliveries, failed, "processing failed: " + describe(e));
                }
            });
        }
        boolean[] finished = runAll(work, answerBy);
        List<ActorRunner> waiting = new ArrayList<>();
        List<OutgoingMessage> out = new ArrayList<>();
        for (int i = 0; i < runners.size(); i++) {
            ActorRunner r = runners.get(i);
            if (!finished[i]) {
                List<Delivery> deliveries = byGroup.get(r.groupId());
                abandoned.addAll(deliveries);
                giveUp(r.groupId(), deliveries, failed, "abandoned: still running at the batch's answer deadline");
                continue;
            }
            List<OutgoingMessage> entries = r.deferredSend();
            if (!entries.isEmpty()) {
                waiting.add(r);
                out.addAll(entries);
            }
        }

        // the outboxes of all actors go out together: fewer send requests than one per actor
        if (!waiting.isEmpty()) {
            String sendFailure = null;
            if (Thread.currentThread().isInterrupted() || (answerBy != null && !clock.instant().isBefore(answerBy))) {
                sendFailure = "no time left before the batch's answer deadline";
            } else {
                try {
                    mailbox.send(out);
                } catch (RuntimeException e) {
                    sendFailure = describe(e);
                }
            }
            List<Runnable> clears = new ArrayList<>(waiting.size());
            for (ActorRunner r : waiting) {
                r.completeDeferredSend(sendFailure).forEach(d -> failed.put(d, Boolean.TRUE));
                if (sendFailure == null && r.clearsAfterSend()) {
                    clears.add(r::clearSentOutbox);
                }
            }
            runAll(clears, answerBy); // best effort: an outbox left uncleared is sent again and recognised
        }

        List<Delivery> retry = FifoBatchFailures.failedWithSuffix(batch, Delivery::groupId, failed::containsKey);
        List<Delivery> done = new ArrayList<>(batch.size());
        Map<Delivery, Boolean> retrySet = new IdentityHashMap<>();
        retry.forEach(d -> retrySet.put(d, Boolean.TRUE));
        for (Delivery d : batch) {
            if (!retrySet.containsKey(d)) {
                done.add(d);
            }
        }
        return new BatchOutcome(done, retry, notStarted, abandoned);
    }

    private void giveUp(String groupId, List<Delivery> deliveries, Map<Delivery, Boolean> failed, String reason) {
        ActorId id = null;
        try {
            id = ActorId.fromGroupId(groupId);
        } catch (FifoActorsException e) {
            // reported without an actor
        }
        for (Delivery d : deliveries) {
            failed.put(d, Boolean.TRUE);
            emit(new Outcome(id, d.messageId(), Outcome.Kind.RETRIED, reason));
        }
    }

    private static String describe(Throwable e) {
        return e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /**
     * Runs the tasks on the group executor (inline without one, or for a single task) and waits for them until
     * {@code answerBy}; returns which finished. Tasks still running at the deadline, or when the calling thread is
     * interrupted, are cancelled with an interrupt, so nothing is left waiting on a port call that can give up. An
     * {@link Error} from a task (a simulated crash, an out-of-memory) is rethrown.
     */
    /** Runs the task on this thread; an {@link Error} stops everything at once, as a crash stops a consumer. */
    private static void runInline(FutureTask<Void> f) {
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

    private boolean[] runAll(List<Runnable> tasks, Instant answerBy) {
        boolean[] finished = new boolean[tasks.size()];
        List<FutureTask<Void>> running = new ArrayList<>(tasks.size());
        RuntimeException brokenExecutor = null;
        for (Runnable task : tasks) {
            FutureTask<Void> f = new FutureTask<>(task, null);
            if (groupExecutor == null) {
                running.add(f);
                runInline(f);
                continue;
            }
            try {
                groupExecutor.execute(f);
                running.add(f);
            } catch (RejectedExecutionException e) {
                running.add(f);
                runInline(f); // a saturated executor slows the batch down; it must not abandon a group
            } catch (RuntimeException e) {
                brokenExecutor = e; // start nothing more, but wait for what runs
                break;
            }
        }
        Error error = null;
        boolean giveUp = false;
        for (int i = 0; i < running.size(); i++) {
            FutureTask<Void> f = running.get(i);
            try {
                if (giveUp) {
                    f.cancel(true);
                } else if (answerBy == null) {
                    f.get();
                } else {
                    long nanos = Duration.between(clock.instant(), answerBy).toNanos();
                    f.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
                }
            } catch (TimeoutException e) {
                f.cancel(true);
                giveUp = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                f.cancel(true);
                giveUp = true;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error err && error == null) {
                    error = err;
                }
            } catch (CancellationException e) {
                // cancelled above
            }
            finished[i] = f.isDone() && !f.isCancelled();
        }
        if (error != null) {
            throw error;
        }
        if (brokenExecutor != null) {
            throw brokenExecutor;
        }
        return finished;
    }

    /**
     * Processes the batch, then acknowledges the settled deliveries and releases the others after
     * {@code retryDelay}. For consumers that own the acknowledgement (pollers, the simulator); Lambda uses
     * {@link #process} and its partial batch response instead.
     */
    public BatchOutcome processAndSettle(List<Delivery> batch, Duration retryDelay) {
        BatchOutcome outcome = process(batch);
        try {
            if (!outcome.succeeded().isEmpty()) {
                mailbox.acknowledge(outcome.succeeded());
            }
            if (!outcome.failed().isEmpty()) {
                mailbox.release(outcome.failed(), retryDelay);
            }
        } catch (FifoActorsException e) {
            // Safe to drop: unacknowledged messages come back after their visibility timeout and are recognised.
            emit(new Outcome(null, "", Outcome.Kind.RETRIED, "settling the batch failed: " + e.getMessage()));
        }
        return outcome;
    }

    /**
     * Reads the records of the batch's actors in one request. Returns null (each runner loads its own) for fewer than
     * two actors or when the read fails; otherwise a map covering every registered actor of the batch, where a
     * missing actor has no record yet. With the record cache, cached actors are not read.
     */
    private Map<ActorId, StoredRecord> preload(Iterable<String> groupIds) {
        List<ActorId> ids = new ArrayList<>();
        for (String g : groupIds) {
            try {
                ActorId id = ActorId.fromGroupId(g);
                if (types.containsKey(id.type())) {
                    ids.add(id);
                }
            } catch (FifoActorsException e) {
                // an invalid group id is dead-lettered by its runner
            }
        }
        if (records != null) {
            Map<ActorId, StoredRecord> known = new HashMap<>();
            List<ActorId> unknown = new ArrayList<>();
            for (ActorId id : ids) {
                StoredRecord r = records.get(id);
                if (r != null) {
                    known.put(id, r);
                } else {
                    unknown.add(id);
                }
            }
            if (unknown.isEmpty()) {
                return known;
            }
            if (unknown.size() < ids.size() || unknown.size() > 1) {
                try {
                    known.putAll(store.loadAll(unknown));
                    return known;
                } catch (RuntimeException e) {
                    return null;
                }
            }
            return null;
        }
        if (ids.size() < 2) {
            return null;
        }
        try {
            return store.loadAll(ids);
        } catch (RuntimeException e) {
            return null; // each runner loads its own record and handles the failure per group
        }
    }

    /**
     * Sends a message from outside any actor (an external producer). {@code messageId} is the producer's id: a
     * second send with the same id within the mailbox's deduplication window is dropped.
     */
    public void send(ActorId target, Object message, String messageId) {
        mailbox.send(List.of(encodeExternal(target, message, messageId)));
    }

    /** Encodes an external message for {@link Mailbox#send}, for producers that batch their own sends. */
    public OutgoingMessage encodeExternal(ActorId target, Object message, String messageId) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(message, "message");
        checkMessageId(messageId);
        ActorType<?, ?> type = types.get(target.type());
        if (type == null) {
            throw new MessageEncodingException("no actor type '" + target.type() + "' is registered");
        }
        String wireName = type.wireName(message);
        if (wireName == null) {
            throw new MessageEncodingException(message.getClass().getName() + " is not a message of actor type "
                    + type.name());
        }
        return new OutgoingMessage(target.groupId(), messageId, Map.of(Envelope.TYPE, wireName),
                codec.encode(message));
    }

    /** Asks the actor to expire its due deferrals and retry its stash (deadlines are checked when it runs). */
    public void wake(ActorId target, String requestId) {
        checkMessageId(requestId);
        mailbox.send(List.of(new OutgoingMessage(target.groupId(), requestId,
                Map.of(Envelope.TYPE, Envelope.SYSTEM_WAKE), new byte[0])));
    }

    /** Resolves a parked actor through its own mailbox, so the resolution takes its place in the actor's order. */
    public void unpark(ActorId target, Resolution resolution, String requestId) {
        checkMessageId(requestId);
        mailbox.send(List.of(new OutgoingMessage(target.groupId(), requestId,
                Map.of(Envelope.TYPE, Envelope.SYSTEM_UNPARK),
                resolution.name().getBytes(StandardCharsets.US_ASCII))));
    }

    /** The actor's durable record, decoded; version 0 and the initial state if it never committed. */
    public <S> ActorSnapshot<S> inspect(ActorId id, Class<S> stateClass) {
        ActorType<?, ?> type = types.get(id.type());
        if (type == null) {
            throw new ConfigurationException("no actor type '" + id.type() + "' is registered");
        }
        if (!type.stateClass().equals(stateClass)) {
            throw new ConfigurationException("actor type " + type.name() + " keeps " + type.stateClass().getName()
                    + ", not " + stateClass.getName());
        }
        Optional<StoredRecord> record = store.load(id);
        S state = record.map(r -> codec.decode(r.state(), stateClass))
                .orElseGet(() -> stateClass.cast(type.initialState(id)));
        ActorControl c = record.map(r -> ActorControl.decode(r.control())).orElseGet(ActorControl::new);
        return new ActorSnapshot<>(id, record.map(StoredRecord::version).orElse(0L), state, c.applied, c.rejected,
                c.deferred, c.stash.size(), c.parked != null, c.parked == null ? null : c.parked.messageId(),
                c.parked == null ? null : c.parked.reason(),
                c.held.size(), c.outSeq, c.outbox.size(), c.senderMarks.size(), c.evictedMarks, c.appliedSeq,
                List.copyOf(c.recentRejections));
    }

    /** The registered actor type of that name, if any. */
    public Optional<ActorType<?, ?>> type(String name) {
        return Optional.ofNullable(types.get(name));
    }

    private static void checkMessageId(String id) {
        Objects.requireNonNull(id, "messageId");
        if (id.isEmpty() || id.length() > 128) {
            throw new MessageEncodingException("message id must have 1 to 128 characters, had " + id.length());
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new MessageEncodingException("message id has a character outside printable ASCII at index " + i);
            }
        }
    }

    // ---- package-private accessors for the runner ----

    ActorType<?, ?> typeOrNull(String name) {
        return types.get(name);
    }

    StateStore store() {
        return store;
    }

    /** The mailbox this system sends through (and its consumers receive from). */
    public Mailbox mailbox() {
        return mailbox;
    }

    Clock clock() {
        return clock;
    }

    Codec codec() {
        return codec;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    int redriveMaxReceiveCount() {
        return redriveMaxReceiveCount;
    }

    /** True when the queue has no redrive policy and the runtime dead-letters by receive count itself. */
    boolean runtimeRedrives() {
        return runtimeRedrives;
    }

    int maxConflictRetries() {
        return maxConflictRetries;
    }

    int maxSenderMarks() {
        return maxSenderMarks;
    }

    int keptRejections() {
        return keptRejections;
    }

    SentOutbox sentOutbox() {
        return sentOutbox;
    }

    /** Remembers the record this instance just wrote ({@code null}: forget it); no-op without the cache. */
    void remember(ActorId id, StoredRecord record) {
        if (records != null) {
            records.put(id, record);
        }
    }

    StoredRecord cachedRecord(ActorId id) {
        return records == null ? null : records.get(id);
    }

    /**
     * The records this instance last wrote, by actor, at most {@code capacity} of them: read instead of the store.
     * A record someone else has overwritten since makes the next commit lose its version race, which reloads.
     */
    static final class RecordCache {
        private final int capacity;
        private final ConcurrentHashMap<ActorId, StoredRecord> byActor = new ConcurrentHashMap<>();

        RecordCache(int capacity) {
            this.capacity = capacity;
        }

        StoredRecord get(ActorId id) {
            return byActor.get(id);
        }

        void put(ActorId id, StoredRecord record) {
            if (record == null) {
                byActor.remove(id);
                return;
            }
            if (byActor.size() >= capacity && !byActor.containsKey(id)) {
                var it = byActor.keySet().iterator();
                if (it.hasNext()) {
                    it.next();
                    it.remove(); // an arbitrary victim: a miss costs one read, as without the cache
                }
            }
            byActor.put(id, record);
        }
    }

    void emit(Outcome outcome) {
        try {
            listener.onOutcome(outcome);
        } catch (RuntimeException ignored) {
            // a listener must not change what happened to a message
        }
    }

    /** Remembers, per actor, the highest outgoing sequence this instance saw sent, so the outbox can be trimmed. */
    static final class SentOutbox {
        private final int capacity;
        private final ConcurrentHashMap<ActorId, Long> sentUpTo = new ConcurrentHashMap<>();

        SentOutbox(int capacity) {
            this.capacity = capacity;
        }

        long sentUpTo(ActorId id) {
            return sentUpTo.getOrDefault(id, 0L);
        }

        void markSent(ActorId id, long outSeq) {
            if (sentUpTo.size() >= capacity) {
                sentUpTo.clear(); // forgetting only costs a harmless, deduplicated re-send
            }
            sentUpTo.merge(id, outSeq, Math::max);
        }
    }

    /** Builds an {@link ActorSystem}; not thread-safe. */
    public static final class Builder {
        private final Map<String, ActorType<?, ?>> types = new LinkedHashMap<>();
        private StateStore store;
        private Mailbox mailbox;
        private Clock clock = Clock.systemUTC();
        private Codec codec;
        private int maxAttempts = 5;
        private int redriveMaxReceiveCount = Integer.MAX_VALUE;
        private boolean queueRedriveSet;
        private boolean runtimeRedriveSet;
        private int maxConflictRetries = 5;
        private int maxSenderMarks = 1000;
        private int keptRejections = 20;
        private int sentCacheSize = 100_000;
        private int recordCacheSize;
        private Executor groupExecutor;
        private OutcomeListener listener = OutcomeListener.NONE;

        private Builder() {
        }

        public Builder register(ActorType<?, ?> type) {
            Objects.requireNonNull(type, "type");
            if (types.putIfAbsent(type.name(), type) != null) {
                throw new ConfigurationException("actor type '" + type.name() + "' is registered twice");
            }
            return this;
        }

        public Builder stateStore(StateStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        public Builder mailbox(Mailbox mailbox) {
            this.mailbox = Objects.requireNonNull(mailbox, "mailbox");
            return this;
        }

        /** The time source for handlers, deferral deadlines and rejection records (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Default: {@link JacksonCodec#create()}. */
        public Builder codec(Codec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * How many times a handler may fail on one message before it is given up (dead-lettered or parked, per the
         * actor type's {@link io.fifoactors.core.PoisonPolicy}). Attempts are counted in the actor's record, not by
         * the queue's receive count, which also grows when a consumer dies or when an earlier message of the group
         * failed in the same batch.
         */
        public Builder maxAttempts(int n) {
            ConfigurationException.requireBetween("maxAttempts", n, 1, 1000);
            this.maxAttempts = n;
            return this;
        }

        /**
         * The queue's redrive maxReceiveCount, if known: a message failing on that receive is given up by the runtime
         * with its cause, rather than moved by the queue without one. Set the queue's count well above
         * {@link #maxAttempts} (three times is a good start) so that infrastructure failures do not exhaust it.
         */
        public Builder redriveMaxReceiveCount(int n) {
            ConfigurationException.requireBetween("redriveMaxReceiveCount", n, 1, 1000);
            this.redriveMaxReceiveCount = n;
            this.queueRedriveSet = true;
            return this;
        }

        /**
         * Declares that the queue has <b>no redrive policy</b> and lets the runtime redrive instead: a message received
         * more than {@code maxReceiveCount} times without completing is dead-lettered by the runtime, with that
         * reason, before its handler runs again; a handler failing on the last receive is given up as with
         * {@link #redriveMaxReceiveCount}. A message already applied is never given up: it stays until its outgoing
         * messages are sent.
         *
         * <p>Why: SQS then removes a message only when a consumer acknowledges it, which the runtime does only after
         * sending what the message caused. So when an actor's next message arrives, everything before it was sent,
         * and the runtime skips the write that otherwise clears a sent outbox (one conditional write per activation
         * that sends). With a queue redrive policy, SQS could move an applied message whose outgoing messages were
         * never sent, and skipping that write would lose them: do not use this with a queue that has one. What is
         * left: a message the runtime could not complete during the queue's whole retention period (up to 14 days)
         * expires, and what it caused with it.
         *
         * <pre>{@code
         * ActorSystem.builder().register(Ledger.ACCOUNT).stateStore(store).mailbox(mailbox)
         *         .maxAttempts(5).runtimeRedrive(15).build();
         * }</pre>
         */
        public Builder runtimeRedrive(int maxReceiveCount) {
            ConfigurationException.requireBetween("runtimeRedrive", maxReceiveCount, 1, 1000);
            this.redriveMaxReceiveCount = maxReceiveCount;
            this.runtimeRedriveSet = true;
            return this;
        }

        /** How often one group re-decides after losing a version race before its messages are released. */
        public Builder maxConflictRetries(int n) {
            ConfigurationException.requireBetween("maxConflictRetries", n, 0, 100);
            this.maxConflictRetries = n;
            return this;
        }

        /** How many senders' high-water marks one actor keeps (see docs/semantics.md for what the bound means). */
        public Builder maxSenderMarks(int n) {
            if (n < 1 || n > 10_000) {
                throw new ConfigurationException("maxSenderMarks must be 1 to 10000, was " + n);
            }
            this.maxSenderMarks = n;
            return this;
        }

        /** How many recent rejections each actor keeps in its record (the total is always counted). */
        public Builder keptRejections(int n) {
            ConfigurationException.requireBetween("keptRejections", n, 0, 1000);
            this.keptRejections = n;
            return this;
        }

        /** How many actors' sent-outbox marks this instance remembers. */
        public Builder sentCacheSize(int n) {
            if (n < 1) {
                throw new ConfigurationException("sentCacheSize must be positive, was " + n);
            }
            this.sentCacheSize = n;
            return this;
        }

        /**
         * Keeps the records this instance writes, for up to {@code maxActors} actors, and uses them instead of reading
         * the store when the same actor comes back (default 0: off). Safe whatever the consumers: every commit is
         * conditional on the version, so a record overwritten elsewhere loses its race and is reloaded. Worth it when
         * actors tend to return to the same process (one poller, few consumers, a hot actor): each hit saves a read;
         * each stale hit costs a failed conditional write (billed) and a read.
         */
        public Builder recordCache(int maxActors) {
            ConfigurationException.requireBetween("recordCache", maxActors, 0, 10_000_000);
            this.recordCacheSize = maxActors;
            return this;
        }

        /** Runs the groups of a batch on this executor (concurrently); default: one after the other. */
        public Builder groupExecutor(Executor executor) {
            this.groupExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        public Builder listener(OutcomeListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public ActorSystem build() {
            if (types.isEmpty()) {
                throw new ConfigurationException("ActorSystem needs at least one actor type: call register(type)");
            }
            if (store == null) {
                throw new ConfigurationException("ActorSystem needs a state store: call stateStore(store)");
            }
            if (mailbox == null) {
                throw new ConfigurationException("ActorSystem needs a mailbox: call mailbox(mailbox)");
            }
            if (queueRedriveSet && runtimeRedriveSet) {
                throw new ConfigurationException("ActorSystem has both redriveMaxReceiveCount (the queue redrives) and"
                        + " runtimeRedrive (the queue has no redrive policy): choose one");
            }
            if (codec == null) {
                codec = JacksonCodec.create();
            }
            return new ActorSystem(this);
        }
    }
}
