package io.fifoactors.core;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The definition of one kind of actor: its type name, state class and initial state, the closed set of message
 * types it accepts (each with a stable wire name), one handler per message class, and its policies.
 *
 * <p>Message names come from an explicit registry, never from a payload: every record permitted by the sealed
 * message interface (recursively) is registered under its simple class name; {@link Builder#message} renames one
 * (rename when a class moves, to keep the wire name). {@link Builder#build()} fails if a registered message class
 * has no handler, so adding a message to the sealed interface without handling it cannot go unnoticed (Java 17
 * has no exhaustive switch over a sealed interface).
 *
 * <pre>{@code
 * static final ActorType<Stock, StockMessage> PRODUCT =
 *         ActorType.builder("product", Stock.class, StockMessage.class)
 *                 .initialState(id -> new Stock(0))
 *                 .on(Arrival.class, (stock, a, ctx) -> Effect.persist(stock.plus(a.quantity())))
 *                 .on(Departure.class, (stock, d, ctx) -> stock.quantity() >= d.quantity()
 *                         ? Effect.persist(stock.minus(d.quantity()))
 *                         : Effect.reject("insufficient stock"))
 *                 .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe once built.
 *
 * @param <S> state type (an immutable record)
 * @param <M> message type (a sealed interface of records)
 */
public final class ActorType<S, M> {
    /** Default stash (and hold buffer) capacity per actor. */
    public static final int DEFAULT_STASH_CAPACITY = 64;
    /** Default number of timers one actor may have set at once. */
    public static final int DEFAULT_MAX_TIMERS = 16;
    /** Default time a handler call may take before it counts as failed. */
    public static final Duration DEFAULT_HANDLER_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Class<S> stateClass;
    private final Class<M> messageClass;
    private final Function<ActorId, S> initialState;
    private final Map<Class<?>, Handler<S, Object, M>> handlers;
    private final Map<String, Class<? extends M>> messagesByName;
    private final Map<Class<?>, String> namesByClass;
    private final PoisonPolicy poisonPolicy;
    private final int stashCapacity;
    private final int maxTimers;
    private final Duration handlerTimeout;

    private ActorType(Builder<S, M> b) {
        this.name = b.name;
        this.stateClass = b.stateClass;
        this.messageClass = b.messageClass;
        this.initialState = b.initialState;
        this.handlers = Map.copyOf(b.handlers);
        this.messagesByName = Collections.unmodifiableMap(new LinkedHashMap<>(b.messages));
        Map<Class<?>, String> byClass = new LinkedHashMap<>();
        b.messages.forEach((n, c) -> byClass.put(c, n));
        this.namesByClass = Collections.unmodifiableMap(byClass);
        this.poisonPolicy = b.poisonPolicy;
        this.stashCapacity = b.stashCapacity;
        this.maxTimers = b.maxTimers;
        this.handlerTimeout = b.handlerTimeout;
    }

    /** Starts the definition of an actor type. */
    public static <S, M> Builder<S, M> builder(String name, Class<S> stateClass, Class<M> messageClass) {
        return new Builder<>(name, stateClass, messageClass);
    }

    public String name() {
        return name;
    }

    public Class<S> stateClass() {
        return stateClass;
    }

    public Class<M> messageClass() {
        return messageClass;
    }

    /** The actor with this type and {@code key}. */
    public ActorId id(String key) {
        return ActorId.of(name, key);
    }

    /** A typed reference to the actor with this type and {@code key}. */
    public ActorRef<M> ref(String key) {
        return ActorRef.of(this, key);
    }

    public S initialState(ActorId id) {
        return Objects.requireNonNull(initialState.apply(id), "initial state of " + id);
    }

    /**
     * Runs the handler registered for the message's class: what the runtime calls for each message.
     *
     * @throws Exception whatever the handler throws (the runtime counts it as a failed attempt)
     */
    public Effect<S> handle(S state, M message, ActorContext<M> context) throws Exception {
        Handler<S, Object, M> h = handlers.get(message.getClass());
        if (h == null) {
            throw new IllegalStateException("actor type " + name + " has no handler for "
                    + message.getClass().getName());
        }
        return h.handle(state, message, context);
    }

    public PoisonPolicy poisonPolicy() {
        return poisonPolicy;
    }

    public int stashCapacity() {
        return stashCapacity;
    }

    /** How many timers one actor of this type may have set at once. */
    public int maxTimers() {
        return maxTimers;
    }

    /** How long one handler call may take before it is abandoned and counted as a failed attempt. */
    public Duration handlerTimeout() {
        return handlerTimeout;
    }

    /** The registered message names and classes, in registration order. */
    public Map<String, Class<? extends M>> messages() {
        return messagesByName;
    }

    /** The class registered under {@code wireName}, or null. */
    public Class<? extends M> messageClass(String wireName) {
        return messagesByName.get(wireName);
    }

    /** The wire name of a message of this type, or null if its class is not registered. */
    public String wireName(Object message) {
        return namesByClass.get(message.getClass());
    }

    @Override
    public String toString() {
        return "ActorType[" + name + "]";
    }

    /** Builds an {@link ActorType}; not thread-safe. */
    public static final class Builder<S, M> {
        private final String name;
        private final Class<S> stateClass;
        private final Class<M> messageClass;
        private final Map<String, Class<? extends M>> messages = new LinkedHashMap<>();
        private final Map<Class<?>, Handler<S, Object, M>> handlers = new LinkedHashMap<>();
        private Function<ActorId, S> initialState;
        private PoisonPolicy poisonPolicy = PoisonPolicy.DEAD_LETTER;
        private int stashCapacity = DEFAULT_STASH_CAPACITY;
        private int maxTimers = DEFAULT_MAX_TIMERS;
        private Duration handlerTimeout = DEFAULT_HANDLER_TIMEOUT;

        private Builder(String name, Class<S> stateClass, Class<M> messageClass) {
            this.name = ActorId.checkType(name);
            this.stateClass = Objects.requireNonNull(stateClass, "stateClass");
            this.messageClass = Objects.requireNonNull(messageClass, "messageClass");
            registerPermitted(messageClass);
        }

        private void registerPermitted(Class<M> root) {
            Deque<Class<?>> todo = new ArrayDeque<>();
            todo.add(root);
            while (!todo.isEmpty()) {
                Class<?> c = todo.poll();
                if (c.isSealed()) {
                    Collections.addAll(todo, c.getPermittedSubclasses());
                } else if (!c.isInterface() && !java.lang.reflect.Modifier.isAbstract(c.getModifiers())) {
                    put(c.getSimpleName(), root.equals(c) ? root : c.asSubclass(root));
                }
            }
        }

        private void put(String wireName, Class<? extends M> cls) {
            Class<? extends M> previous = messages.get(wireName);
            if (previous != null && !previous.equals(cls)) {
                throw new ConfigurationException("actor type " + name + ": message name '" + wireName
                        + "' is used by " + previous.getName() + " and " + cls.getName()
                        + "; register one of them under another name with message(name, class)");
            }
            messages.put(wireName, cls);
        }

        /** Registers {@code cls} under {@code wireName}, replacing the default name (its simple class name). */
        public Builder<S, M> message(String wireName, Class<? extends M> cls) {
            Objects.requireNonNull(wireName, "wireName");
            Objects.requireNonNull(cls, "cls");
            if (wireName.isBlank() || wireName.startsWith("fa:")) {
                throw new ConfigurationException("message name '" + wireName + "' is blank or uses the reserved prefix fa:");
            }
            messages.values().removeIf(cls::equals);
            put(wireName, cls);
            return this;
        }

        public Builder<S, M> initialState(Function<ActorId, S> initialState) {
            this.initialState = Objects.requireNonNull(initialState, "initialState");
            return this;
        }

        /** The handler for messages of class {@code cls}: one per registered message class. */
        @SuppressWarnings("unchecked")
        public <T extends M> Builder<S, M> on(Class<T> cls, Handler<S, ? super T, M> handler) {
            Objects.requireNonNull(cls, "cls");
            Objects.requireNonNull(handler, "handler");
            if (!messages.containsValue(cls)) {
                throw new ConfigurationException("actor type " + name + ": " + cls.getName() + " is not one of its"
                        + " messages (the records permitted by " + messageClass.getName() + ")");
            }
            if (handlers.putIfAbsent(cls, (Handler<S, Object, M>) handler) != null) {
                throw new ConfigurationException("actor type " + name + ": " + cls.getSimpleName()
                        + " has two handlers");
            }
            return this;
        }

        public Builder<S, M> poisonPolicy(PoisonPolicy poisonPolicy) {
            this.poisonPolicy = Objects.requireNonNull(poisonPolicy, "poisonPolicy");
            return this;
        }

        /** How many deferred (or, while parked, held) messages one actor keeps; 1 to 10,000. */
        public Builder<S, M> stashCapacity(int stashCapacity) {
            this.stashCapacity = ConfigurationException.requireBetween("stashCapacity", stashCapacity, 1, 10_000);
            return this;
        }

        /** How many timers one actor may have set at once; 1 to 1,000 (default 16). */
        public Builder<S, M> maxTimers(int maxTimers) {
            this.maxTimers = ConfigurationException.requireBetween("maxTimers", maxTimers, 1, 1_000);
            return this;
        }

        /** How long one handler call may take (default 30 s, 1 ms to 15 min): past it the call counts as failed. */
        public Builder<S, M> handlerTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(Duration.ofMinutes(15)) > 0) {
                throw new ConfigurationException("handlerTimeout must be 1 ms to 15 min, was " + timeout);
            }
            this.handlerTimeout = timeout;
            return this;
        }

        public ActorType<S, M> build() {
            if (initialState == null) {
                throw new ConfigurationException("actor type " + name + ": initialState(...) is required");
            }
            if (messages.isEmpty()) {
                throw new ConfigurationException("actor type " + name + ": no message class registered; make "
                        + messageClass.getName() + " a sealed interface of records");
            }
            List<String> missing = messages.values().stream().filter(c -> !handlers.containsKey(c))
                    .map(Class::getSimpleName).toList();
            if (!missing.isEmpty()) {
                throw new ConfigurationException("actor type " + name + ": no handler for " + missing
                        + "; add on(Class, handler) for each");
            }
            return new ActorType<>(this);
        }
    }
}
