package io.fifoactors.core.runtime;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.MessageEncodingException;
import io.fifoactors.core.Send;
import io.fifoactors.core.codec.Codec;
import io.fifoactors.core.codec.JacksonCodec;
import io.fifoactors.core.internal.BatchRun;
import io.fifoactors.core.internal.Caches;
import io.fifoactors.core.internal.Inspection;
import io.fifoactors.core.internal.Settings;
import io.fifoactors.core.port.Consistency;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.RedrivePolicy;
import io.fifoactors.core.port.Scheduler;
import io.fifoactors.core.port.StateStore;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The transport-independent runtime: registered actor types over a {@link StateStore}, a {@link Mailbox} and a
 * {@link Scheduler} (for timers). A consumer (the Lambda handler, a {@link Poller}, the in-memory simulator) hands it
 * delivered batches; it processes each group (actor) independently, concurrently when given an executor, the messages
 * of a group strictly in order and one at a time, and folds all of one actor's messages in a batch into one
 * conditional state write.
 *
 * <p>Effectively-once: a message's effects (state, outgoing messages, timers, rejection and deferral records) are
 * committed in one atomic write together with the actor's applied-sequence mark and per-sender marks; outgoing
 * messages are sent after the commit with deterministic ids; redeliveries and re-sends are recognised and skipped.
 * How the runtime completes what it committed depends on the queue's redrive policy, which it reads from the mailbox
 * (docs/semantics.md, section 5).
 *
 * <pre>{@code
 * ActorSystem system = ActorSystem.builder()
 *         .register(Ledger.ACCOUNT)
 *         .stateStore(store).mailbox(mailbox).scheduler(scheduler)
 *         .messageKeys(MessageKeys.parse(keysFromYourSecretStore))
 *         .build();
 * BatchOutcome outcome = system.process(mailbox.receive(10, Duration.ofSeconds(30), Duration.ofSeconds(1)));
 * }</pre>
 *
 * <p>Thread-safe: several consumers may share one instance.
 */
public final class ActorSystem {
    private static final AtomicInteger GROUP_THREADS = new AtomicInteger();
    private final Settings settings;
    private final Caches caches;

    private ActorSystem(Settings settings) {
        this.settings = settings;
        this.caches = new Caches(settings.recordCacheSize(), settings.sentCacheSize());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Processes one delivered batch (any size; SQS gives at most 10) and returns which deliveries are settled and
     * which must be redelivered, and why. Performs the state commits, the outgoing sends, the timer schedules and the
     * dead-letter sends; does not acknowledge or release (the caller does, or Lambda does through the partial batch
     * response).
     */
    public BatchOutcome process(List<Delivery> batch) {
        return run(batch, Optional.empty(), Optional.empty());
    }

    /**
     * Processes the batch like {@link #process(List)} within deadlines read from this system's clock: a group not
     * started before {@code startBy} is not started at all, and the call returns by {@code answerBy}, interrupting
     * groups still running then (what they committed is recognised on redelivery; this needs a
     * {@link Builder#groupExecutor}: without one the groups run on the calling thread, which no deadline
     * interrupts).
     *
     * <pre>{@code
     * Instant end = clock.instant().plusMillis(context.getRemainingTimeInMillis());
     * BatchOutcome r = system.process(batch, end.minusSeconds(3), end.minusMillis(500));
     * }</pre>
     */
    public BatchOutcome process(List<Delivery> batch, Instant startBy, Instant answerBy) {
        return run(batch, Optional.of(startBy), Optional.of(answerBy));
    }

    private BatchOutcome run(List<Delivery> batch, Optional<Instant> startBy, Optional<Instant> answerBy) {
        requireScheduler();
        // asked per batch: an adapter caches it, and a policy changed under a running system is followed
        RedrivePolicy policy = settings.mailbox().redrivePolicy();
        return new BatchRun(settings, policy, caches).process(batch, startBy, answerBy);
    }

    /** Whether this system can process: it has a scheduler (one built without is a producer only). */
    boolean canProcess() {
        return settings.scheduler().isPresent();
    }

    void requireScheduler() {
        if (!canProcess()) {
            throw new ConfigurationException("this ActorSystem has no scheduler, so it can send (tell, Ingress) but"
                    + " not process: timers and deferral deadlines need one; call scheduler(scheduler)");
        }
    }

    /**
     * Sends a message from outside any actor (an external producer). {@code messageId} is the producer's id: a
     * second send with the same id within the mailbox's deduplication window is dropped.
     */
    public <M> void tell(ActorRef<M> target, M message, String messageId) {
        settings.mailbox().send(List.of(encode(target.tell(message), messageId)));
    }

    /**
     * Encodes a message from outside any actor for {@link Mailbox#send}, for producers that batch their own sends
     * (see {@link Ingress}). With a {@link Builder#tracing tracing} hook, the message carries the calling thread's
     * trace context ({@link Envelope#TRACEPARENT}).
     */
    public OutgoingMessage encode(Send send, String messageId) {
        Objects.requireNonNull(send, "send");
        checkMessageId(messageId);
        ActorType<?, ?> type = settings.types().get(send.target().type());
        if (type == null) {
            throw new MessageEncodingException("no actor type '" + send.target().type() + "' is registered");
        }
        String wireName = type.wireName(send.message());
        if (wireName == null) {
            throw new MessageEncodingException(send.message().getClass().getName() + " is not a message of actor type "
                    + type.name());
        }
        return new OutgoingMessage(send.target().groupId(), messageId, attributes(wireName),
                settings.codec().encode(send.message()));
    }

    /** A producer's attributes: the type and, when tracing, the caller's trace context. */
    private Map<String, String> attributes(String wireName) {
        MessageTracing tracing = settings.tracing();
        if (tracing != MessageTracing.none()) {
            Optional<String> traceparent;
            try {
                traceparent = tracing.currentTraceparent();
            } catch (RuntimeException e) {
                traceparent = Optional.empty(); // tracing must not stop a send
            }
            if (traceparent != null && traceparent.isPresent()
                    && MessageTracing.isValidTraceparent(traceparent.get())) {
                return Map.of(Envelope.TYPE, wireName, Envelope.TRACEPARENT, traceparent.get());
            }
        }
        return Map.of(Envelope.TYPE, wireName);
    }

    /** Asks the actor to expire its due deferrals and retry its stash (deadlines also fire on their own). */
    public void wake(ActorId target, String requestId) {
        settings.mailbox().send(List.of(SystemMessages.wake(target, requestId, settings.keys())));
    }

    /** Resolves a parked actor through its own mailbox, so the resolution takes its place in the actor's order. */
    public void unpark(ActorId target, Resolution resolution, String requestId) {
        settings.mailbox().send(List.of(SystemMessages.unpark(target, resolution, requestId, settings.keys())));
    }

    /** The actor's durable record, decoded; version 0 and the initial state if it never committed. */
    public <S> ActorSnapshot<S> inspect(ActorType<S, ?> type, String key) {
        ActorType<?, ?> registered = settings.types().get(type.name());
        if (registered != type) {
            throw new ConfigurationException("actor type '" + type.name() + "' is not registered with this system");
        }
        ActorId id = type.id(key);
        return Inspection.snapshot(type, id, settings.store().load(id), settings.codec());
    }

    /** The registered actor type of that name, if any. */
    public Optional<ActorType<?, ?>> type(String name) {
        return Optional.ofNullable(settings.types().get(name));
    }

    /** The mailbox this system sends through (and its consumers receive from). */
    public Mailbox mailbox() {
        return settings.mailbox();
    }

    /** The clock this system's handlers, deadlines and timers read. */
    public Clock clock() {
        return settings.clock();
    }

    private static void checkMessageId(String id) {
        SystemMessages.checkMessageId(id);
    }

    /** Builds an {@link ActorSystem}; not thread-safe. */
    public static final class Builder {
        private final Map<String, ActorType<?, ?>> types = new LinkedHashMap<>();
        private StateStore store;
        private Mailbox mailbox;
        private Scheduler scheduler;
        private Clock clock = Clock.systemUTC();
        private Codec codec;
        private MessageKeys keys;
        private int maxAttempts = 5;
        private int maxConflictRetries = 5;
        private int keptRejections;
        private int hotMarks = 16;
        private Duration horizon = Duration.ofDays(14);
        private int crashCheckAfter = 3;
        private Consistency preloadConsistency = Consistency.EVENTUAL;
        private int sentCacheSize = 100_000;
        private int recordCacheSize;
        private Executor groupExecutor;
        private boolean inlineGroups;
        private OutcomeListener listener = OutcomeListener.NONE;
        private LongSupplier nonces;
        private RedrivePolicy expectedPolicy;
        private MessageTracing tracing = MessageTracing.none();

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

        /**
         * The carrier of timer firings (and of deferral deadlines) into the mailbox. Required to process; a system
         * that only sends (a producer's {@code tell} and {@code Ingress}) can be built without one.
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The time source for handlers, deferral deadlines, timers and rejection records (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Default: {@link JacksonCodec#create()}. */
        public Builder codec(Codec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /** The keys that authenticate the runtime's own messages (required; shared by every consumer of a queue). */
        public Builder messageKeys(MessageKeys keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /**
         * How many times a handler may fail on one message before it is given up (dead-lettered or parked, per the
         * actor type's {@link io.fifoactors.core.PoisonPolicy}); default 5. Attempts are counted in the actor's
         * record, not by the queue's receive count, which also grows when the store is down or an earlier message of
         * the group failed.
         */
        public Builder maxAttempts(int n) {
            this.maxAttempts = ConfigurationException.requireBetween("maxAttempts", n, 1, 100);
            return this;
        }

        /** How often one group re-decides after losing a version race before its messages are retried. */
        public Builder maxConflictRetries(int n) {
            this.maxConflictRetries = ConfigurationException.requireBetween("maxConflictRetries", n, 0, 100);
            return this;
        }

        /**
         * How many recent rejections each actor's record keeps, with their count. 0 (the default) records none: a
         * rejection that changes no state and does nothing else then costs no write at all (it is reported to the
         * {@link OutcomeListener}, logged by the Lambda handler and traced, as every outcome is). With n &gt; 0 every
         * rejection is written: the count, and the last n with their message id, type, the first 64 characters of
         * the reason and the time (about 100 bytes each, of an item that costs a second write unit per commit once it
         * passes 1 KB).
         */
        public Builder keptRejections(int n) {
            this.keptRejections = ConfigurationException.requireBetween("keptRejections", n, 0, 1000);
            return this;
        }

        /**
         * How many senders' marks the record keeps before moving them to the actor's archive (default 16): fewer keep
         * the record small; each move is one write. Re-sends are recognised at any number of senders either way.
         */
        public Builder hotMarks(int n) {
            this.hotMarks = ConfigurationException.requireBetween("hotMarks", n, 1, 10_000);
            return this;
        }

        /**
         * How long sender marks are kept (default 14 days, SQS's longest retention): a re-send committed longer ago
         * than this is dead-lettered as one that cannot be checked, never applied twice.
         */
        public Builder deduplicationHorizon(Duration horizon) {
            Objects.requireNonNull(horizon, "horizon");
            if (horizon.compareTo(Duration.ofHours(1)) < 0 || horizon.compareTo(Duration.ofDays(366)) > 0) {
                throw new ConfigurationException("deduplicationHorizon must be 1 hour to 366 days, was " + horizon);
            }
            this.horizon = horizon;
            return this;
        }

        /**
         * Receives after which an attempt is recorded in the actor's record before its handler runs (default 3), so
         * that a consumer dying on a message (out of memory, a kill) counts as a failed attempt. A message is received
         * that often only after failures, so this costs nothing on the happy path.
         */
        public Builder crashCheckAfter(int receives) {
            this.crashCheckAfter = ConfigurationException.requireBetween("crashCheckAfter", receives, 1, 1000);
            return this;
        }

        /**
         * The consistency of the read of a batch's records (default {@link Consistency#EVENTUAL}: half the price;
         * a stale copy loses its conditional commit and is read again strongly, and a run that would write nothing
         * reads strongly first).
         */
        public Builder preloadConsistency(Consistency consistency) {
            this.preloadConsistency = Objects.requireNonNull(consistency, "consistency");
            return this;
        }

        /** How many actors' sent-outbox marks this instance remembers. */
        public Builder sentCacheSize(int n) {
            this.sentCacheSize = ConfigurationException.requireBetween("sentCacheSize", n, 1, 10_000_000);
            return this;
        }

        /**
         * Keeps the records this instance writes, for up to {@code maxActors} actors, and uses them instead of reading
         * the store when the same actor comes back (default 0: off). Safe whatever the consumers: every commit is
         * conditional on the version, so a record overwritten elsewhere loses its race and is reloaded.
         */
        public Builder recordCache(int maxActors) {
            this.recordCacheSize = ConfigurationException.requireBetween("recordCache", maxActors, 0, 10_000_000);
            return this;
        }

        /**
         * Runs the groups (actors) of a batch on this executor, concurrently. Default: the system's own pool of
         * daemon threads, made as needed and let go when idle. A thread stays busy while a handler overruns its time
         * limit (Java cannot stop it); the batch goes on without it.
         */
        public Builder groupExecutor(Executor executor) {
            this.groupExecutor = Objects.requireNonNull(executor, "executor");
            this.inlineGroups = false;
            return this;
        }

        /**
         * Runs the groups of a batch one after the other on the thread that calls {@code process}: deterministic,
         * for simulations and tests. Deadlines and handler time limits are then checked only between steps (a
         * handler that overruns its limit counts as failed when it returns).
         */
        public Builder inlineGroups() {
            this.groupExecutor = null;
            this.inlineGroups = true;
            return this;
        }

        public Builder listener(OutcomeListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The source of the random commit nonces and archive chunk ids (default: {@link SecureRandom}, safe across
         * SnapStart restores); a seeded source makes simulations reproducible.
         */
        public Builder nonces(LongSupplier nonces) {
            this.nonces = Objects.requireNonNull(nonces, "nonces");
            return this;
        }

        /**
         * Declares the redrive policy the queue is expected to have: {@link #build()} fails if the mailbox reports
         * another. The runtime always follows the mailbox's policy; this catches a deployment that differs from
         * what its authors meant.
         */
        public Builder expectRedrivePolicy(RedrivePolicy policy) {
            this.expectedPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Traces messages through the actors with this hook (default {@link MessageTracing#none()}: nothing is added
         * to any message and no span is started): producers' trace contexts are carried, a span is started per
         * delivery, and messages an actor sends carry its span's context.
         *
         * <pre>{@code
         * ActorSystem.builder()...tracing(OpenTelemetryTracing.create(openTelemetry)).build();
         * }</pre>
         */
        public Builder tracing(MessageTracing tracing) {
            this.tracing = Objects.requireNonNull(tracing, "tracing");
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
            if (keys == null) {
                throw new ConfigurationException("ActorSystem needs message keys to authenticate its own messages:"
                        + " call messageKeys(MessageKeys.parse(...)) with the keys every consumer of the queue shares");
            }
            RedrivePolicy policy = mailbox.redrivePolicy();
            if (expectedPolicy != null && !expectedPolicy.equals(policy)) {
                throw new ConfigurationException("the mailbox reports " + policy + " but " + expectedPolicy
                        + " was expected: fix the queue's redrive policy or the expectation");
            }
            if (policy.redrives() && policy.maxReceiveCount().getAsInt() <= crashCheckAfter + maxAttempts) {
                throw new ConfigurationException("the queue moves a message to the dead-letter queue after "
                        + policy.maxReceiveCount().getAsInt() + " receives, which leaves the runtime no room to give"
                        + " up on it with its reason (crashCheckAfter " + crashCheckAfter + " + maxAttempts "
                        + maxAttempts + "): raise the queue's maxReceiveCount above "
                        + (crashCheckAfter + maxAttempts) + " or remove its redrive policy");
            }
            Executor executor = groupExecutor;
            if (executor == null && !inlineGroups) {
                executor = Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "fa-group-" + GROUP_THREADS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
            }
            LongSupplier n = nonces;
            if (n == null) {
                SecureRandom random = new SecureRandom();
                n = random::nextLong;
            }
            Settings settings = new Settings(Collections.unmodifiableMap(new LinkedHashMap<>(types)), store, mailbox,
                    Optional.ofNullable(scheduler), clock, codec == null ? JacksonCodec.create() : codec, keys, maxAttempts,
                    maxConflictRetries, keptRejections, hotMarks, Duration.ofMinutes(4), horizon, crashCheckAfter,
                    preloadConsistency, recordCacheSize, sentCacheSize, Optional.ofNullable(executor), listener,
                    n, tracing);
            return new ActorSystem(settings);
        }
    }
}
