package io.fifoactors.core;

import java.time.Instant;

/**
 * What a handler may know besides its state and the message: who it is, the message's metadata, and the time from
 * the runtime's injected clock (never {@code Instant.now()}, so tests control time).
 *
 * <pre>{@code
 * Effect.defer(ctx.now().plus(Duration.ofMinutes(5)));
 * }</pre>
 *
 * <p>Valid only during the handler call that received it; not thread-safe.
 */
public interface ActorContext {
    ActorId self();

    MessageMetadata metadata();

    Instant now();
}
