package io.fifoactors.core.runtime;

import java.time.Instant;

/**
 * One rejected message, as kept with the actor (the most recent ones; the total is counted). Immutable.
 *
 * <pre>{@code
 * snapshot.recentRejections().get(0).reason();   // "insufficient funds"
 * }</pre>
 */
public record RejectionRecord(String messageId, String messageType, String reason, Instant at) {
}
