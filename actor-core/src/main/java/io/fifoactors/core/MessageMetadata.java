package io.fifoactors.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Facts about the message being handled: its id (the producer's id, or a deterministic id for actor-to-actor
 * messages and timer firings), the sending actor if any (the actor itself for its timers), the timer's key if a
 * timer fired it, when it was enqueued, and how many times it has been received (1 the first time; for a deferred
 * message, the count when it was first handled).
 *
 * <pre>{@code
 * ctx.metadata().sender().ifPresent(from -> ...);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public record MessageMetadata(String messageId, Optional<ActorId> sender, Optional<String> timerKey,
                              Instant enqueuedAt, int receiveCount) {
    public MessageMetadata {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(timerKey, "timerKey");
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
    }
}
