package io.fifoactors.testkit;

import io.fifoactors.core.ActorContext;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.Effect;
import io.fifoactors.core.MessageDecodingException;
import io.fifoactors.core.MessageMetadata;
import io.fifoactors.core.codec.Codec;
import io.fifoactors.core.codec.JacksonCodec;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.Resolution;
import io.fifoactors.inmemory.InMemoryMailbox;
import io.fifoactors.inmemory.InMemoryStateStore;
import io.fifoactors.inmemory.VirtualClock;

import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs one actor deterministically on the real runtime ({@link ActorSystem}) over the in-memory mailbox and state
 * store and a {@link VirtualClock}, so that what a test sees is what production does: every message and state goes
 * through the codec, deferred messages are stashed and retried after state changes, deadlines expire on the virtual
 * clock, rejections are recorded, a failing handler is redelivered and then dead-lettered or parked.
 *
 * <p>Each step ({@link #send}, {@link #wake}, {@link #unpark}) enqueues one message and runs the actor's mailbox
 * until it is idle, redelivering at once (time does not move during a step), and returns a {@link Result}. Messages
 * the actor sends to other actors are captured, decoded with the target's registry, and not run; messages it sends
 * to itself are run within the same step. Every state and message the handler produces is checked to survive the
 * codec's round trip, and a message that the runtime leaves unsettled fails the step: both are
 * {@link AssertionError}s that say what went wrong.
 *
 * <pre>{@code
 * ActorTestKit<Counter, CounterMsg> kit = ActorTestKit.of(COUNTER).key("c-1").register(AUDIT);
 * kit.given(new Counter(10))
 *    .when(new Transfer("c-2", 4))
 *    .thenApplied()
 *    .thenState(new Counter(6))
 *    .thenSent(COUNTER.id("c-2"), new Add(4));
 * }</pre>
 *
 * <p>Configure the kit ({@link #key}, {@link #startingAt}, {@link #codec}, {@link #register},
 * {@link #maxAttempts}) before its first step; the configuration is fixed by the first call of any other method.
 * Defaults: key {@code "test"}, time {@value #DEFAULT_START}, {@link JacksonCodec#create()}, and maxAttempts 1, so that
 * a throwing handler is dead-lettered (or parked) on its first failure.
 *
 * <p>Not thread-safe; use one kit per test, from one thread.
 *
 * @param <S> the actor's state type
 * @param <M> the actor's message type
 */
public final class ActorTestKit<S, M> {
    /** The virtual time a kit starts at unless {@link #startingAt} says otherwise. */
    public static final String DEFAULT_START = "2026-01-01T00:00:00Z";
    /** The actor key used unless {@link #key} says otherwise. */
    public static final String DEFAULT_KEY = "test";
    /** The most mailbox batches one step may take before the kit decides the actor never becomes idle. */
    static final int MAX_BATCHES_PER_STEP = 1000;
    private static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(30);

    private final ActorType<S, M> type;
    private final List<ActorType<?, ?>> others = new ArrayList<>();
    private String key = DEFAULT_KEY;
    private Instant start = Instant.parse(DEFAULT_START);
    private Codec codec = JacksonCodec.create();
    private int maxAttempts = 1;

    // built by the first step
    private ActorId id;
    private VirtualClock clock;
    private InMemoryMailbox mailbox;
    private RecordingMailbox recording;
    private InMemoryStateStore store;
    private ActorSystem system;

    private final List<Outcome> outcomes = new ArrayList<>();
    private final List<Sent> sent = new ArrayList<>();
    private final List<Effect<?>> effects = new ArrayList<>();
    private final Map<ActorId, Long> senderSeqs = new HashMap<>();
    private long nextId;
    private String parkedMessageId;

    private ActorTestKit(ActorType<S, M> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /** A kit for one actor of {@code type}. */
    public static <S, M> ActorTestKit<S, M> of(ActorType<S, M> type) {
        return new ActorTestKit<>(type);
    }

    // ---- configuration ----

    /** The key of the actor under test (default {@value #DEFAULT_KEY}). */
    public ActorTestKit<S, M> key(String key) {
        configuring();
        type.id(key); // checks it
        this.key = key;
        return this;
    }

    /** The virtual time the kit starts at (default {@value #DEFAULT_START}). */
    public ActorTestKit<S, M> startingAt(Instant start) {
        configuring();
        this.start = Objects.requireNonNull(start, "start");
        return this;
    }

    /** The codec of the runtime (default {@link JacksonCodec#create()}); use the one production uses. */
    public ActorTestKit<S, M> codec(Codec codec) {
        configuring();
        this.codec = Objects.requireNonNull(codec, "codec");
        return this;
    }

    /**
     * Registers the types of the actors this actor sends to, so that its sends are encoded and captured. They are
     * never run. A send to a type not registered fails as in production: like a handler failure. The actor's own
     * type is always registered; two different types of one name are refused.
     */
    public ActorTestKit<S, M> register(ActorType<?, ?>... types) {
        configuring();
        for (ActorType<?, ?> t : types) {
            Objects.requireNonNull(t, "type");
            if (t == type || others.contains(t)) {
                continue; // the actor's own type is always registered
            }
            if (t.name().equals(type.name()) || others.stream().anyMatch(o -> o.name().equals(t.name()))) {
                throw new ConfigurationException("actor type '" + t.name() + "' is registered twice");
            }
            others.add(t);
        }
        return this;
    }

    /**
     * How many times the handler may fail on one message before it is given up, dead-lettered or parked
     * (default 1; the runtime's {@code maxAttempts}). Redeliveries happen at once, without moving the clock. The
     * mailbox's redrive count is set to three times this, as recommended for production, and made known to the
     * runtime.
     */
    public ActorTestKit<S, M> maxAttempts(int n) {
        configuring();
        ConfigurationException.requireBetween("maxAttempts", n, 1, 1000);
        this.maxAttempts = n;
        return this;
    }

    private int redriveMaxReceiveCount() {
        return Math.min(1000, 3 * maxAttempts);
    }

    private void configuring() {
        if (system != null) {
            throw new IllegalStateException("configure the test kit before its first step");
        }
    }

    private void start() {
        if (system != null) {
            return;
        }
        id = type.id(key);
        clock = VirtualClock.at(start);
        mailbox = InMemoryMailbox.builder().clock(clock).maxReceiveCount(redriveMaxReceiveCount()).build();
        recording = new RecordingMailbox(mailbox, id.groupId());
        store = InMemoryStateStore.create();
        ActorSystem.Builder b = ActorSystem.builder()
                .register(Observed.type(type, effects::add))
                .stateStore(store)
                .mailbox(recording)
                .clock(clock)
                .codec(codec)
                .maxAttempts(maxAttempts)
                .redriveMaxReceiveCount(redriveMaxReceiveCount())
                .listener(outcomes::add);
        others.forEach(b::register);
        system = b.build();
    }

    // ---- given ----

    /**
     * Seeds the actor's stored state (version 1, nothing else recorded), after checking that it survives the codec.
     * Must come before any message.
     */
    public ActorTestKit<S, M> given(S state) {
        Objects.requireNonNull(state, "state");
        start();
        Optional<StoredRecord> existing = store.load(id);
        if (existing.isPresent()) {
            throw new IllegalStateException("given(state) must come before any message: " + id
                    + " already has a stored record (version " + existing.get().version() + ")");
        }
        RoundTrip.check(codec, "the given state", state, type.stateClass());
        // an empty control record is the runtime's "nothing recorded yet"
        store.commit(id, 0, new StoredRecord(1, codec.encode(state), new byte[0]));
        return this;
    }

    /** Reaches a state by sending these messages, one step each, whatever happens to them. */
    @SafeVarargs
    public final ActorTestKit<S, M> givenMessages(M... messages) {
        for (M m : messages) {
            send(m);
        }
        return this;
    }

    // ---- steps ----

    /** Same as {@link #send(Object)}; reads better after {@link #given}. */
    public Result<S> when(M message) {
        return send(message);
    }

    /** Same as {@link #send(Object, ActorId)}. */
    public Result<S> when(M message, ActorId sender) {
        return send(message, sender);
    }

    /** Sends {@code message} to the actor from outside any actor, runs the actor until idle, and reports. */
    public Result<S> send(M message) {
        return sendFrom(message, null);
    }

    /**
     * Sends {@code message} as if actor {@code sender} had sent it (with the {@code fa-sender} and
     * {@code fa-sender-seq} attributes, the sequence counting up per sender), runs the actor until idle, and reports.
     */
    public Result<S> send(M message, ActorId sender) {
        Objects.requireNonNull(sender, "sender");
        return sendFrom(message, sender);
    }

    private Result<S> sendFrom(M message, ActorId sender) {
        Objects.requireNonNull(message, "message");
        start();
        if (sender != null && sender.equals(id)) {
            throw new IllegalArgumentException("an actor's messages to itself come from its handler; simulate another"
                    + " sender than " + id);
        }
        String messageId = "kit-" + (++nextId);
        OutgoingMessage out = encode(message, messageId);
        if (sender != null) {
            Map<String, String> attributes = new LinkedHashMap<>(out.attributes());
            attributes.put(Envelope.SENDER, sender.groupId());
            attributes.put(Envelope.SENDER_SEQ, Long.toString(senderSeqs.merge(sender, 1L, Long::sum)));
            out = new OutgoingMessage(out.groupId(), out.messageId(), attributes, out.body());
        }
        OutgoingMessage enqueue = out;
        return step(String.valueOf(message) + (sender == null ? "" : " from " + sender), messageId, messageId,
                () -> mailbox.send(List.of(enqueue)));
    }

    private OutgoingMessage encode(M message, String messageId) {
        String wireName = type.wireName(message);
        if (wireName == null) {
            throw new IllegalArgumentException(message.getClass().getName() + " is not a message of actor type "
                    + type.name() + "; it registers " + type.messages().keySet());
        }
        RoundTrip.check(codec, "the message", message, type.messageClass(wireName));
        return system.encodeExternal(id, message, messageId);
    }

    /**
     * Sends the system wake message: the actor expires its due deferrals (see {@link #advanceTime}) and retries its
     * stash. The result has no message of its own; look at {@link Result#outcomeOf(String)}.
     */
    public Result<S> wake() {
        start();
        String requestId = "kit-wake-" + (++nextId);
        return step("wake", null, requestId, () -> system.wake(id, requestId));
    }

    /**
     * Resolves a parked actor as an operator would. The result's message is the parked one: with
     * {@link Resolution#RETRY} it is handled again (then the held messages follow), with {@link Resolution#SKIP} it
     * is dead-lettered (then the held messages follow).
     */
    public Result<S> unpark(Resolution resolution) {
        Objects.requireNonNull(resolution, "resolution");
        start();
        String parked = snapshot().parked() ? parkedMessageId : null;
        String requestId = "kit-unpark-" + (++nextId);
        return step("unpark " + resolution, parked, requestId, () -> system.unpark(id, resolution, requestId));
    }

    /** Moves the virtual clock forward; nothing runs until the next step. */
    public ActorTestKit<S, M> advanceTime(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        start();
        clock.advance(duration);
        return this;
    }

    private Result<S> step(String description, String ownMessageId, String requestId, Runnable enqueue) {
        int outcomeMark = outcomes.size();
        int sentMark = sent.size();
        effects.clear();
        recording.takeRecorded(); // left over only if an earlier step failed its checks
        enqueue.run();
        runUntilIdle(description);
        List<Outcome> stepOutcomes = List.copyOf(outcomes.subList(outcomeMark, outcomes.size()));
        for (Outcome o : stepOutcomes) {
            if (o.kind() == Outcome.Kind.PARKED) {
                parkedMessageId = o.messageId();
            }
        }
        checkEffects();
        captureSent();
        checkSettled(description, stepOutcomes);
        ActorSnapshot<S> snapshot = snapshot();
        Outcome own = null;
        if (ownMessageId != null) {
            for (Outcome o : stepOutcomes) {
                if (ownMessageId.equals(o.messageId())) {
                    own = o;
                }
            }
        }
        if (ownMessageId != null && own == null && ownMessageId.equals(requestId)) {
            throw new AssertionError(id + ", after " + description + ": the message " + ownMessageId
                    + " has no outcome (the runtime never reported on it)");
        }
        return new Result<>(id, description, ownMessageId, own, stepOutcomes,
                sent.subList(sentMark, sent.size()), snapshot);
    }

    /** Receives and processes the actor's group until nothing is visible; acknowledges other actors' messages. */
    private void runUntilIdle(String description) {
        for (int batches = 0; ; batches++) {
            List<Delivery> got = mailbox.receive(Mailbox.MAX_BATCH, VISIBILITY_TIMEOUT, Duration.ZERO);
            if (got.isEmpty()) {
                return;
            }
            if (batches >= MAX_BATCHES_PER_STEP) {
                throw new AssertionError(id + ", after " + description + ": the actor was still busy after "
                        + MAX_BATCHES_PER_STEP + " mailbox batches; does it keep sending messages to itself?");
            }
            List<Delivery> mine = new ArrayList<>();
            List<Delivery> theirs = new ArrayList<>();
            for (Delivery d : got) {
                (d.groupId().equals(id.groupId()) ? mine : theirs).add(d);
            }
            if (!theirs.isEmpty()) {
                mailbox.acknowledge(theirs); // captured when sent; other actors do not run in the kit
            }
            if (!mine.isEmpty()) {
                system.processAndSettle(mine, Duration.ZERO);
            }
        }
    }

    /** Checks that every state and outgoing message the handler produced in this step survives the codec. */
    private void checkEffects() {
        for (Effect<?> e : effects) {
            checkEffect(e);
        }
        effects.clear();
    }

    private void checkEffect(Effect<?> e) {
        if (e.kind() == Effect.Kind.PERSIST) {
            RoundTrip.check(codec, "the handler's new state", e.state(), type.stateClass());
        }
        for (Effect.Send s : e.sends()) {
            Optional<ActorType<?, ?>> target = system.type(s.target().type());
            if (target.isEmpty()) {
                continue; // the runtime fails the decision, as in production
            }
            String wireName = target.get().wireName(s.message());
            if (wireName != null) {
                RoundTrip.check(codec, "the message to " + s.target(), s.message(),
                        target.get().messageClass(wireName));
            }
        }
    }

    /** Decodes what the actor sent with the target types' registries, as the receivers would. */
    private void captureSent() {
        for (OutgoingMessage m : recording.takeRecorded()) {
            ActorId to = ActorId.fromGroupId(m.groupId());
            String wireName = m.attributes().get(Envelope.TYPE);
            ActorType<?, ?> target = system.type(to.type()).orElseThrow(() -> new AssertionError(
                    "the runtime sent a message to unregistered actor type " + to.type()));
            Class<?> cls = target.messageClass(wireName);
            if (cls == null) {
                throw new AssertionError(id + " sent a message of type '" + wireName + "' that " + to.type()
                        + " does not register");
            }
            try {
                sent.add(new Sent(to, codec.decode(m.body(), cls)));
            } catch (MessageDecodingException e) {
                throw new AssertionError(id + " sent a " + wireName + " to " + to + " that the receiver cannot"
                        + " decode: " + e.getMessage(), e);
            }
        }
    }

    /** A message whose last outcome is a redelivery was never settled: the runtime gave up on it silently. */
    private void checkSettled(String description, List<Outcome> stepOutcomes) {
        Map<String, Outcome> last = new LinkedHashMap<>();
        for (Outcome o : stepOutcomes) {
            if (!o.messageId().isEmpty()) {
                last.put(o.messageId(), o);
            }
        }
        String cause = null; // failures the runtime reports without a message id, such as a failed outbox send
        for (Outcome o : stepOutcomes) {
            if (o.messageId().isEmpty() && o.kind() == Outcome.Kind.RETRIED) {
                cause = o.detail();
            }
        }
        for (Outcome o : last.values()) {
            if (o.kind() == Outcome.Kind.RETRIED) {
                long tries = stepOutcomes.stream()
                        .filter(x -> x.messageId().equals(o.messageId()) && x.kind() == Outcome.Kind.RETRIED).count();
                throw new AssertionError(id + ", after " + description + ": message " + o.messageId()
                        + " was never settled; the runtime asked for its redelivery " + tries + " time(s), last"
                        + " because: " + o.detail() + (cause == null ? "" : " (" + cause + ")") + "; after "
                        + redriveMaxReceiveCount() + " receives the queue moved it to the dead-letter queue without"
                        + " a reason. Production would do the same.");
            }
        }
    }

    // ---- the pure decision ----

    /**
     * Calls the handler once, as the runtime would after decoding: {@code state} and {@code message} are first put
     * through the codec, and the context is fixed (self is the actor under test, message id {@code "kit-decide"},
     * no sender, receive count 1, the kit's current time). The effect's state and messages are checked to survive
     * the codec; the store and the mailbox are not touched. An exception from the handler propagates (a checked one
     * wrapped in an {@link UndeclaredThrowableException}).
     */
    public Effect<S> decide(S state, M message) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(message, "message");
        start();
        S decodedState = RoundTrip.check(codec, "the state", state, type.stateClass());
        String wireName = type.wireName(message);
        if (wireName == null) {
            throw new IllegalArgumentException(message.getClass().getName() + " is not a message of actor type "
                    + type.name());
        }
        M decodedMessage = type.messageClass().cast(
                RoundTrip.check(codec, "the message", message, type.messageClass(wireName)));
        Instant now = clock.instant();
        ActorContext context = new FixedContext(id, new MessageMetadata("kit-decide", Optional.empty(), now, 1), now);
        Effect<S> effect;
        try {
            effect = type.handler().handle(decodedState, decodedMessage, context);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new UndeclaredThrowableException(e, "the handler threw " + e);
        }
        if (effect == null) {
            throw new AssertionError("the handler returned no effect (null); the runtime treats that as a failure");
        }
        for (Effect.Send s : effect.sends()) {
            ActorType<?, ?> target = system.type(s.target().type()).orElseThrow(() -> new AssertionError(
                    "the effect sends to actor type '" + s.target().type() + "', which is not registered with the"
                            + " kit; register(...) it (in production the message would fail as if the handler threw)"));
            if (target.wireName(s.message()) == null) {
                throw new AssertionError("the effect sends a " + s.message().getClass().getName() + " to "
                        + s.target() + ", which is not a message of actor type " + target.name());
            }
        }
        checkEffect(effect);
        return effect;
    }

    private record FixedContext(ActorId self, MessageMetadata metadata, Instant now) implements ActorContext {
    }

    // ---- inspection ----

    /** The actor under test. */
    public ActorId id() {
        start();
        return id;
    }

    /** The kit's virtual time. */
    public Instant now() {
        start();
        return clock.instant();
    }

    /** The actor's state, decoded from its stored record (its initial state if it never committed). */
    public S state() {
        return snapshot().state();
    }

    /** The actor's durable record, decoded. */
    public ActorSnapshot<S> snapshot() {
        start();
        try {
            return system.inspect(id, type.stateClass());
        } catch (MessageDecodingException e) {
            throw new AssertionError("the stored state of " + id + " cannot be decoded as "
                    + type.stateClass().getName() + ": " + e.getMessage()
                    + "; in production every later message of this actor would fail", e);
        }
    }

    /** The dead-letter queue: messages given up on, with their reasons, oldest first. */
    public List<DeadLetter> deadLetters() {
        start();
        return mailbox.deadLetters();
    }

    /** Every outcome the runtime reported since the kit started, in order. */
    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** Every message the actor sent since the kit started, in order. */
    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    @Override
    public String toString() {
        return "ActorTestKit[" + (id == null ? type.name() + "/" + key : id) + "]";
    }
}
