package io.fifoactors.core;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The definition of one kind of actor: its type name, state class and initial state, the closed set of message
 * types it accepts (each with a stable wire name), its handler and its policies.
 *
 * <p>Message names come from an explicit registry, never from a payload: by default every record permitted by the
 * sealed message interface (recursively) is registered under its simple class name; {@link Builder#message} adds or
 * renames one (rename when a class moves, to keep the wire name).
 *
 * <pre>{@code
 * ActorType<Stock, StockMessage> PRODUCT = ActorType.builder("product", Stock.class, StockMessage.class)
 *         .initialState(id -> Stock.EMPTY)
 *         .handler(Inventory::decide)
 *         .stashCapacity(32)
 *         .build();
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

    private final String name;
    private final Class<S> stateClass;
    private final Class<M> messageClass;
    private final Function<ActorId, S> initialState;
    private final Handler<S, M> handler;
    private final Map<String, Class<? extends M>> messagesByName;
    private final Map<Class<?>, String> namesByClass;
    private final PoisonPolicy poisonPolicy;
    private final int stashCapacity;

    private ActorType(Builder<S, M> b) {
        this.name = b.name;
        this.stateClass = b.stateClass;
        this.messageClass = b.messageClass;
        this.initialState = b.initialState;
        this.handler = b.handler;
        this.messagesByName = Collections.unmodifiableMap(new LinkedHashMap<>(b.messages));
        Map<Class<?>, String> byClass = new LinkedHashMap<>();
        b.messages.forEach((n, c) -> byClass.put(c, n));
        this.namesByClass = Collections.unmodifiableMap(byClass);
        this.poisonPolicy = b.poisonPolicy;
        this.stashCapacity = b.stashCapacity;
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

    public S initialState(ActorId id) {
        return initialState.apply(id);
    }

    public Handler<S, M> handler() {
        return handler;
    }

    public PoisonPolicy poisonPolicy() {
        return poisonPolicy;
    }

    public int stashCapacity() {
        return stashCapacity;
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
        private Function<ActorId, S> initialState;
        private Handler<S, M> handler;
        private PoisonPolicy poisonPolicy = PoisonPolicy.DEAD_LETTER;
        private int stashCapacity = DEFAULT_STASH_CAPACITY;

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

        /** Registers {@code cls} under {@code wireName}, replacing any default name it had. */
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

        public Builder<S, M> handler(Handler<S, M> handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        public Builder<S, M> poisonPolicy(PoisonPolicy poisonPolicy) {
            this.poisonPolicy = Objects.requireNonNull(poisonPolicy, "poisonPolicy");
            return this;
        }

        /** How many deferred (or, while parked, held) messages one actor keeps; 1 to 10,000. */
        public Builder<S, M> stashCapacity(int stashCapacity) {
            if (stashCapacity < 1 || stashCapacity > 10_000) {
                throw new ConfigurationException("stashCapacity must be 1 to 10000, was " + stashCapacity);
            }
            this.stashCapacity = stashCapacity;
            return this;
        }

        public ActorType<S, M> build() {
            if (initialState == null) {
                throw new ConfigurationException("actor type " + name + ": initialState(...) is required");
            }
            if (handler == null) {
                throw new ConfigurationException("actor type " + name + ": handler(...) is required");
            }
            if (messages.isEmpty()) {
                throw new ConfigurationException("actor type " + name + ": no message class registered; make "
                        + messageClass.getName() + " a sealed interface of records or call message(name, class)");
            }
            return new ActorType<>(this);
        }
    }
}
