package io.fifoactors.core.runtime;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.FifoActorsException;

import java.util.Objects;
import java.util.Optional;

/**
 * What happened to one message, reported to an {@link OutcomeListener} after the fact it reports is durable: after
 * the commit for applied, rejected, deferred, held and parked messages, after the dead-letter send for dead-lettered
 * ones. {@code detail} is a reason for people (never a payload); {@code receiveCount} is the delivery's.
 *
 * <pre>{@code
 * listener = o -> { if (o.kind() == Outcome.Kind.REJECTED) log.info("{} rejected: {}", o.groupId(), o.detail()); };
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public record Outcome(String groupId, String messageId, Kind kind, String detail, int receiveCount) {
    public Outcome {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    /** The kinds of outcome. */
    public enum Kind {
        /** The message changed (or deliberately left) the state; its actions are committed. */
        APPLIED,
        /** The handler or the runtime refused the message, with a reason kept with the actor. */
        REJECTED,
        /** The message was stashed with the actor until its state changes or the deadline passes. */
        DEFERRED,
        /** A redelivered or re-sent message already applied; skipped without effect. */
        DUPLICATE,
        /** A timer firing for a timer cancelled, replaced or not yet due; dropped (an early one is rescheduled). */
        STALE,
        /** The actor is parked; the message is held with it, in order. */
        HELD,
        /** The handler failed on the last allowed attempt and the actor parked with this message. */
        PARKED,
        /** The message went to the dead-letter queue with this reason. */
        DEAD_LETTERED,
        /** The message (and its group's later ones in the batch) will be redelivered; the detail says why. */
        RETRIED
    }

    /** The actor, unless the group id names none (such messages are dead-lettered). */
    public Optional<ActorId> actor() {
        try {
            return Optional.of(ActorId.fromGroupId(groupId));
        } catch (FifoActorsException e) {
            return Optional.empty();
        }
    }
}
