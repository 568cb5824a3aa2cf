package io.fifoactors.sqswire;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One dead letter as read back from a dead-letter queue (see {@link DeadLetterEnvelope}): the message (group, id,
 * attributes, body) with its reason, and the queue messages it was read from (a copy, and the note before it when
 * the reason did not fit the copy).
 *
 * <pre>{@code
 * for (StoredLetter l : letters) {
 *     log(l.groupId(), l.messageId(), l.movedByRedrive() ? "moved by the queue's redrive" : l.reason());
 * }
 * }</pre>
 *
 * <p>Immutable by convention (the body and maps are shared, not copied). Thread-safe under that convention.
 *
 * @param groupId        the message's group
 * @param messageId      the message's id
 * @param deadLetterId   the letter's deduplication id on the dead-letter queue (for a message moved by the queue's
 *                       redrive policy: whatever deduplication id the queue gave it, possibly empty)
 * @param attributes     the message's attributes, decoded, the wire format's own left out
 * @param body           the message's body, decoded
 * @param reason         why it was dead-lettered; empty for a message the queue moved by its redrive policy
 * @param movedByRedrive true if the queue moved it by its redrive policy (no reason travels then)
 * @param sentAt         when the copy entered the dead-letter queue
 * @param copy           the dead-letter queue's message holding the copy
 * @param note           the note that came before the copy, or null
 */
public record StoredLetter(String groupId, String messageId, String deadLetterId, Map<String, String> attributes,
                           byte[] body, String reason, boolean movedByRedrive, Instant sentAt, WireMessage copy,
                           WireMessage note) {
    public StoredLetter {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(deadLetterId, "deadLetterId");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(copy, "copy");
    }

    /** The queue messages of this letter, in queue order (the note first, if any). */
    public List<WireMessage> parts() {
        List<WireMessage> parts = new ArrayList<>(2);
        if (note != null) {
            parts.add(note);
        }
        parts.add(copy);
        return parts;
    }

    @Override
    public String toString() {
        return "StoredLetter[" + groupId + " " + messageId + " (" + body.length + " B): "
                + (movedByRedrive ? "moved by redrive" : reason) + (note == null ? "" : ", with a note") + "]";
    }
}
