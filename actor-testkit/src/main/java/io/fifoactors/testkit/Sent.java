package io.fifoactors.testkit;

import io.fifoactors.core.ActorId;

import java.util.Objects;

/**
 * One message the actor under test sent, as its receiver would decode it: the target actor and the message object,
 * decoded from the bytes the runtime put on the mailbox with the target type's registry.
 *
 * <pre>{@code
 * assertEquals(List.of(new Sent(ACCOUNT.id("b"), new Credit(5))), kit.send(new Transfer("b", 5)).sent());
 * }</pre>
 *
 * <p>Immutable; thread-safe if the message is.
 */
public record Sent(ActorId to, Object message) {
    public Sent {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return message + " to " + to;
    }
}
