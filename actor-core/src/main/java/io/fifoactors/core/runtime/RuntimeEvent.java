package io.fifoactors.core.runtime;

import java.util.Objects;

/**
 * Something that happened to an actor's processing rather than to one message, for metrics and logs: a lost
 * version race, an outbox clear that failed, a handler that ran past its time limit, a write of the archive.
 *
 * <pre>{@code
 * listener = new OutcomeListener() {
 *     public void onOutcome(Outcome o) { }
 *     public void onEvent(RuntimeEvent e) { if (e.kind() == RuntimeEvent.Kind.VERSION_CONFLICT) conflicts++; }
 * };
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public record RuntimeEvent(String groupId, Kind kind, String detail) {
    public RuntimeEvent {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    /** The kinds of event. */
    public enum Kind {
        /** A commit lost a race with another consumer of the same actor; the runtime re-decided. */
        VERSION_CONFLICT,
        /** The write that clears a sent outbox failed; the entries are sent again later and recognised. */
        OUTBOX_CLEAR_FAILED,
        /** Older sender marks were moved from the record to the actor's archive. */
        MARKS_ARCHIVED,
        /** A handler call ran past its actor type's time limit and was abandoned. */
        HANDLER_TIMEOUT,
        /** A store, mailbox or scheduler call failed; the messages concerned are retried after a backoff. */
        PORT_FAILURE
    }
}
