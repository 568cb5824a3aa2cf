package io.fifoactors.core.runtime;

import io.fifoactors.core.ActorId;

/**
 * What happened to one message (or one actor), reported to an {@link OutcomeListener} after the fact it reports is
 * durable: after the commit for applied, rejected, deferred, held and parked messages, after the dead-letter send for
 * dead-lettered ones. {@code detail} is a reason for people (never a payload); {@code actor} is null only for a
 * message whose group id names no valid actor.
 *
 * <pre>{@code
 * listener = o -> { if (o.kind() == Outcome.Kind.REJECTED) log.info("{} rejected: {}", o.actor(), o.detail()); };
 * }</pre>
 */
public record Outcome(ActorId actor, String messageId, Kind kind, String detail) {
    /** The kinds of outcome. */
    public enum Kind {
        /** The message changed (or deliberately left) the state; its sends are committed. */
        APPLIED,
        /** The handler or the runtime refused the message, with a reason kept with the actor. */
        REJECTED,
        /** The message was stashed with the actor until its state changes or the deadline passes. */
        DEFERRED,
        /** A redelivered or re-sent message already applied; skipped without effect. */
        DUPLICATE,
        /** The actor is parked; the message is held with it, in order. */
        HELD,
        /** The handler failed on the last allowed receive and the actor parked with this message. */
        PARKED,
        /** The message went to the dead-letter queue with this reason. */
        DEAD_LETTERED,
        /** The message (and its group's later ones in the batch) will be redelivered. */
        RETRIED,
        /** A commit lost a race with another consumer of the same actor; the runtime re-decided. */
        VERSION_CONFLICT
    }
}
