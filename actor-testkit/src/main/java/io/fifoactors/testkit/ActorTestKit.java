package io.fifoactors.testkit;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.MessageDecodingException;
import io.fifoactors.core.codec.Codec;
import io.fifoactors.core.codec.JacksonCodec;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.ForwardingMailbox;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.StoredRecord;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.BatchOutcome;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.MessageKeys;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.core.runtime.Resolution;
import io.fifoactors.inmemory.InMemoryMailbox;
import io.fifoactors.inmemory.InMemoryStateStore;
import io.fifoactors.inmemory.VirtualClock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs a conversation between actors deterministically on the real runtime ({@link ActorSystem}) over the in-memory
 * mailbox (with its timer scheduler) and state store and a {@link VirtualClock}, so that what a test sees is what
 * production does: every message and state goes through the codec (and is checked to survive it), actors send to
 * each other, deferred messages are stashed and retried, timers fire when {@link #advanceTime} reaches them,
 * rejections are recorded, a failing handler is retried and then dead-lettered or parked.
 *
 * <p>Each step ({@link #when}, {@link #advanceTime}, {@link #wake}, {@link #unpark}, {@link #whenRaw}) runs every
 * actor's mailbox until nothing is left to do at the current time (the messages the actors send each other
 * included), and returns a {@link Result} over everything that happened in it. Time moves only in
 * {@link #advanceTime}, which stops at each timer due on the way, in order.
 *
 * <pre>{@code
 * ActorTestKit kit = ActorTestKit.of(Holds.RESOURCE, Holds.BOOKING);
 * kit.when(Holds.BOOKING.ref("b-1"), new Book(List.of("seat-1", "seat-2"), Duration.ofMinutes(15)))
 *    .thenApplied()
 *    .thenSent(Holds.RESOURCE.ref("seat-1"), new Hold("b-1"));
 * kit.advanceTime(Duration.ofMinutes(15)).thenStateOf(Holds.BOOKING.ref("b-1"), Booking.expired());
 * }</pre>
 *
 * <p>Configure the kit ({@link #startingAt}, {@link #codec}, {@link #maxAttempts}, {@link #configure}) before its
 * first step. Defaults: time {@value #DEFAULT_START}, {@link JacksonCodec#create()}, and maxAttempts 1, so that a
 * throwing handler is given up on its first failure.
 *
 * <p>Not thread-safe; use one kit per test, from one thread.
 */
public final class ActorTestKit {
    /** The virtual time a kit starts at unless {@link #startingAt} says otherwise. */
    public static final String DEFAULT_START = "2026-01-01T00:00:00Z";
    /** The most mailbox batches one step may take before the kit decides the actors never become idle. */
    static final int MAX_BATCHES_PER_STEP = 10_000;
    private static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(30);

    private final List<ActorType<?, ?>> types;
    private Instant start = Instant.parse(DEFAULT_START);
    private Codec codec = JacksonCodec.create();
    private int maxAttempts = 1;
    private Consumer<ActorSystem.Builder> configure = b -> { };

    // built by the first step
    private VirtualClock clock;
    private InMemoryMailbox mailbox;
    private InMemoryStateStore store;
    private ActorSystem system;

    private final List<Outcome> outcomes = new ArrayList<>();
    private final List<Sent> sent = new ArrayList<>();
    private long nextId;

    private ActorTestKit(List<ActorType<?, ?>> types) {
        this.types = types;
    }

    /** A kit running actors of these types (a message to another type fails as in production). */
    public static ActorTestKit of(ActorType<?, ?>... types) {
        if (types.length == 0) {
            throw new ConfigurationException("ActorTestKit needs at least one actor type");
        }
        List<ActorType<?, ?>> list = new ArrayList<>();
        for (ActorType<?, ?> t : types) {
            Objects.requireNonNull(t, "type");
            if (list.stream().anyMatch(o -> o.name().equals(t.name()))) {
                throw new ConfigurationException("actor type '" + t.name() + "' is registered twice");
            }
            list.add(t);
        }
        return new ActorTestKit(List.copyOf(list));
    }

    // ---- configuration ----

    /** The virtual time the kit starts at (default {@value #DEFAULT_START}). */
    public ActorTestKit startingAt(Instant start) {
        configuring();
        this.start = Objects.requireNonNull(start, "start");
        return this;
    }

    /** The codec of the runtime (default {@link JacksonCodec#create()}); use the one production uses. */
    public ActorTestKit codec(Codec codec) {
        configuring();
        this.codec = Objects.requireNonNull(codec, "codec");
        return this;
    }

    /**
     * How many times a handler may fail on one message before it is given up, dead-lettered or parked (default 1;
     * the runtime's {@code maxAttempts}). Retries happen at once, without moving the clock.
     */
    public ActorTestKit maxAttempts(int n) {
        configuring();
        this.maxAttempts = ConfigurationException.requireBetween("maxAttempts", n, 1, 100);
        return this;
    }

    /** How many recent rejections each actor's record keeps in the kit unless {@link #configure} says otherwise. */
    public static final int KEPT_REJECTIONS = 100;

    /**
     * Further runtime settings (keptRejections, hotMarks, ...); the kit sets the ports, clock, keys and codec, and
     * keeps {@value #KEPT_REJECTIONS} recent rejections per actor (the runtime's default keeps none).
     */
    public ActorTestKit configure(Consumer<ActorSystem.Builder> configure) {
        configuring();
        this.configure = Objects.requireNonNull(configure, "configure");
        return this;
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
        clock = VirtualClock.at(start);
        mailbox = InMemoryMailbox.builder().clock(clock).noRedrive().build();
        store = InMemoryStateStore.builder().clock(clock).build();
        // the kit keeps every actor's recent rejections so that snapshots show them (production defaults to none)
        ActorSystem.Builder b = ActorSystem.builder().keptRejections(KEPT_REJECTIONS);
        configure.accept(b);
        types.forEach(b::register);
        b.stateStore(store).mailbox(new Recording(mailbox)).scheduler(mailbox.scheduler()).clock(clock)
                .codec(new CheckingCodec(codec)).maxAttempts(maxAttempts).messageKeys(MessageKeys.forSimulation(0))
                .inlineGroups().nonces(new java.util.SplittableRandom(1)::nextLong)
                .listener(outcomes::add);
        system = b.build();
    }

    // ---- given ----

    /**
     * Seeds an actor's stored state (version 1, nothing else recorded), after checking that it survives the codec.
     * Must come before any message to that actor.
     */
    public <S> ActorTestKit given(ActorType<S, ?> type, String key, S state) {
        Objects.requireNonNull(state, "state");
        start();
        ActorId id = registered(type).id(key);
        if (store.load(id).isPresent()) {
            throw new IllegalStateException("given(...) must come before any message: " + id
                    + " already has a stored record");
        }
        RoundTrip.check(codec, "the given state", state, type.stateClass());
        store.commit(id, 0, new StoredRecord(1, codec.encode(state), new byte[0]));
        return this;
    }

    // ---- steps ----

    /** Sends {@code message} to {@code to} from outside any actor, runs until quiet, and reports. */
    public <M> Result when(ActorRef<M> to, M message) {
        Objects.requireNonNull(message, "message");
        start();
        registered(to.id().type());
        String messageId = "kit-" + (++nextId);
        OutgoingMessage out = system.encode(to.tell(message), messageId);
        return step(String.valueOf(message) + " to " + to.id(), to.id(), messageId, () -> mailbox.send(List.of(out)));
    }

    /**
     * Sends a raw message as a producer with send rights could (any wire type, any body, any attributes besides
     * {@code fa-type}), to see it refused: malformed, unknown or forged messages are dead-lettered with their reason.
     */
    public Result whenRaw(ActorId to, String wireType, byte[] body, Map<String, String> extraAttributes) {
        start();
        String messageId = "kit-raw-" + (++nextId);
        Map<String, String> attributes = new LinkedHashMap<>(extraAttributes);
        attributes.put(Envelope.TYPE, wireType);
        OutgoingMessage out = new OutgoingMessage(to.groupId(), messageId, attributes, body);
        return step("raw " + wireType + " to " + to, to, messageId, () -> mailbox.send(List.of(out)));
    }

    /** {@link #whenRaw} with a UTF-8 text body and no extra attributes. */
    public Result whenRaw(ActorId to, String wireType, String body) {
        return whenRaw(to, wireType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /**
     * Moves the virtual clock forward by {@code duration}, stopping at every timer due on the way (in due order) to
     * run the actors until quiet, and reports everything that happened.
     */
    public Result advanceTime(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time only moves forward");
        }
        start();
        Instant target = clock.instant().plus(duration);
        return step("advance time by " + duration, null, null, () -> { }, target);
    }

    /** Sends the system wake message to the actor (expire due deferrals, retry its stash). */
    public Result wake(ActorRef<?> ref) {
        start();
        String requestId = "kit-wake-" + (++nextId);
        return step("wake " + ref.id(), ref.id(), requestId, () -> system.wake(ref.id(), requestId));
    }

    /** Resolves a parked actor as an operator would ({@link Resolution#RETRY} or {@link Resolution#SKIP}). */
    public Result unpark(ActorRef<?> ref, Resolution resolution) {
        Objects.requireNonNull(resolution, "resolution");
        start();
        String requestId = "kit-unpark-" + (++nextId);
        return step("unpark " + ref.id() + " " + resolution, ref.id(), requestId,
                () -> system.unpark(ref.id(), resolution, requestId));
    }

    private Result step(String description, ActorId target, String messageId, Runnable enqueue) {
        return step(description, target, messageId, enqueue, clock.instant());
    }

    private Result step(String description, ActorId target, String messageId, Runnable enqueue, Instant until) {
        int outcomeMark = outcomes.size();
        int sentMark = sent.size();
        enqueue.run();
        runUntilQuiet(description);
        while (true) {
            Instant next = mailbox.nextVisibleAt();
            if (next == null || next.isAfter(until)) {
                break;
            }
            clock.advanceTo(next);
            runUntilQuiet(description);
        }
        clock.advanceTo(until);
        runUntilQuiet(description);
        List<Outcome> stepOutcomes = List.copyOf(outcomes.subList(outcomeMark, outcomes.size()));
        checkSettled(description, stepOutcomes);
        Outcome own = null;
        if (messageId != null) {
            for (Outcome o : stepOutcomes) {
                if (messageId.equals(o.messageId())) {
                    own = o;
                }
            }
        }
        return new Result(this, description, target, messageId, own, stepOutcomes,
                List.copyOf(sent.subList(sentMark, sent.size())));
    }

    /** Receives and processes until nothing is visible now; retries at once (the clock does not move). */
    private void runUntilQuiet(String description) {
        for (int batches = 0; ; batches++) {
            List<Delivery> got = mailbox.receive(Mailbox.MAX_BATCH, VISIBILITY_TIMEOUT, Duration.ZERO);
            if (got.isEmpty()) {
                return;
            }
            if (batches >= MAX_BATCHES_PER_STEP) {
                throw new AssertionError("after " + description + ": the actors were still busy after "
                        + MAX_BATCHES_PER_STEP + " mailbox batches; do they keep sending messages to each other?");
            }
            BatchOutcome outcome = system.process(got);
            if (!outcome.succeeded().isEmpty()) {
                mailbox.acknowledge(outcome.succeeded());
            }
            if (!outcome.retries().isEmpty()) {
                mailbox.retryAfter(outcome.failed(), Duration.ZERO);
            }
        }
    }

    /** A message whose last outcome is a retry was never settled. */
    private static void checkSettled(String description, List<Outcome> stepOutcomes) {
        Map<String, Outcome> last = new LinkedHashMap<>();
        for (Outcome o : stepOutcomes) {
            last.put(o.groupId() + " " + o.messageId(), o);
        }
        for (Outcome o : last.values()) {
            if (o.kind() == Outcome.Kind.RETRIED) {
                throw new AssertionError("after " + description + ": message " + o.messageId() + " to "
                        + o.groupId() + " was never settled; last retried because: " + o.detail());
            }
        }
    }

    /** Records what the actors send (decoded as their receivers would) on its way to the real mailbox. */
    private final class Recording extends ForwardingMailbox {

        Recording(InMemoryMailbox inner) {
            super(inner);
        }

        @Override
        public void send(List<OutgoingMessage> messages) {
            super.send(messages);
            for (OutgoingMessage m : messages) {
                if (m.attributes().containsKey(Envelope.FROM)) {
                    sent.add(decodeSent(m));
                }
            }
        }
    }

    private Sent decodeSent(OutgoingMessage m) {
        ActorId to = ActorId.fromGroupId(m.groupId());
        ActorId from = ActorId.fromGroupId(m.attributes().get(Envelope.FROM).split(" ")[0]);
        String wireName = m.attributes().get(Envelope.TYPE);
        ActorType<?, ?> target = registered(to.type());
        Class<?> cls = target.messageClass(wireName);
        try {
            return new Sent(from, to, codec.decode(m.body(), cls));
        } catch (MessageDecodingException e) {
            throw new AssertionError(from + " sent a " + wireName + " to " + to + " that the receiver cannot"
                    + " decode: " + e.getMessage(), e);
        }
    }

    private ActorType<?, ?> registered(String typeName) {
        for (ActorType<?, ?> t : types) {
            if (t.name().equals(typeName)) {
                return t;
            }
        }
        throw new IllegalArgumentException("actor type '" + typeName + "' is not one of the kit's "
                + types.stream().map(ActorType::name).toList());
    }

    private <S> ActorType<S, ?> registered(ActorType<S, ?> type) {
        if (registered(type.name()) != type) {
            throw new IllegalArgumentException(type + " is not one of the kit's types");
        }
        return type;
    }

    // ---- inspection ----

    /** The kit's virtual time. */
    public Instant now() {
        start();
        return clock.instant();
    }

    /** The actor's state, decoded from its stored record (its initial state if it never committed). */
    public <S> S state(ActorType<S, ?> type, String key) {
        return snapshot(type, key).state();
    }

    /** The actor's durable record, decoded. */
    public <S> ActorSnapshot<S> snapshot(ActorType<S, ?> type, String key) {
        start();
        try {
            return system.inspect(registered(type), key);
        } catch (MessageDecodingException e) {
            throw new AssertionError("the stored state of " + type.id(key) + " cannot be decoded as "
                    + type.stateClass().getName() + ": " + e.getMessage()
                    + "; in production every later message of this actor would fail", e);
        }
    }

    /** The state of the actor {@code ref} points to (its type must be one of the kit's). */
    Object stateOf(ActorId id) {
        ActorType<?, ?> type = registered(id.type());
        return snapshot(type, id.key()).state();
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

    /** Every message the actors sent each other since the kit started, in order. */
    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** The runtime the kit drives (for producers, inspection, or anything the kit does not wrap). */
    public ActorSystem system() {
        start();
        return system;
    }

    @Override
    public String toString() {
        return "ActorTestKit" + types.stream().map(ActorType::name).toList();
    }
}
