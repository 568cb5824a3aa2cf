package io.fifoactors.core;

import java.util.Objects;

/**
 * A typed address of one actor: its {@link ActorId} and, at compile time, the messages it accepts. Sending the
 * wrong message type to a reference does not compile. References are plain values: they travel inside messages as
 * reply addresses (the codec writes them as the actor's group id) and compare equal when their ids do.
 *
 * <pre>{@code
 * ActorRef<StockMessage> sku = Inventory.PRODUCT.ref("sku-1");
 * return Effect.persist(next, sku.tell(new StockMessage.Departure(2)));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param <M> the messages the actor accepts (its actor type's message interface)
 */
public final class ActorRef<M> {
    private final ActorId id;

    private ActorRef(ActorId id) {
        this.id = id;
    }

    /** The reference to {@code type}'s actor with {@code key}; same as {@code type.ref(key)}. */
    public static <M> ActorRef<M> of(ActorType<?, M> type, String key) {
        return new ActorRef<>(type.id(key));
    }

    /**
     * A reference from an id whose message type the caller vouches for, for codecs and tools that read ids from the
     * wire. A message sent through a reference of the wrong type is refused at run time by the receiver's registry.
     */
    public static <M> ActorRef<M> unchecked(ActorId id) {
        return new ActorRef<>(Objects.requireNonNull(id, "id"));
    }

    public ActorId id() {
        return id;
    }

    /**
     * The action of sending {@code message} to this actor: include it in an {@link Effect}; the runtime sends it
     * after the commit, in the order the actions are listed.
     */
    public Send tell(M message) {
        return new Send(id, Objects.requireNonNull(message, "message"));
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof ActorRef<?> other && id.equals(other.id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "ActorRef[" + id + "]";
    }
}
