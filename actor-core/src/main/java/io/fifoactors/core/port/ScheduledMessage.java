package io.fifoactors.core.port;

import java.time.Instant;
import java.util.Objects;

/**
 * A message to put into the mailbox at a later time (a timer firing): the {@link Scheduler} delivers
 * {@code message} into the mailbox at or after {@code dueAt}, at least once, with {@code message.messageId()} as its
 * deduplication id.
 *
 * <pre>{@code
 * scheduler.schedule(List.of(new ScheduledMessage(firing, Instant.parse("2026-01-01T00:15:00Z"))));
 * }</pre>
 *
 * <p>Immutable by convention (the message's body is shared). Thread-safe under that convention.
 */
public record ScheduledMessage(OutgoingMessage message, Instant dueAt) {
    public ScheduledMessage {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(dueAt, "dueAt");
    }
}
