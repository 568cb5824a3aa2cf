package io.fifoactors.testkit;

import io.fifoactors.core.ActorId;

import java.util.Objects;

/**
 * One message an actor sent another, as its receiver would decode it: the sender, the target and the message
 * object, decoded from the bytes the runtime put on the mailbox with the target type's registry.
 *
 * <pre>{@code
 * kit.when(ACCOUNT.ref("a"), new Transfer("b", 5)).thenSent(ACCOUNT.ref("b"), new Credit(5));
 * }</pre>
 *
 * <p>Immutable; thread-safe if the message is.
 */
public record Sent(ActorId from, ActorId to, Object message) {
    public Sent {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return message + " from " + from + " to " + to;
    }
}
