package io.fifoactors.sqswire;

import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.MailboxLimits;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a dead letter travels on an SQS FIFO dead-letter queue, so that every letter made from a received message can
 * be sent whatever its size and attributes, and read back with its reason.
 *
 * <ul>
 *   <li><b>The copy</b> is the message as it was received: same group, same body text and encoding, the same
 *       attributes (re-encoded as the wire format does). Its deduplication id is the letter's
 *       {@link DeadLetter#deadLetterId()} (unique per delivery: a second dead-lettering of the same delivery is
 *       dropped, a dead-lettering of the same message moved back and received again is not).</li>
 *   <li><b>When the reason fits</b> (at most 10 attributes with {@value SqsWire#ID} and {@value SqsWire#REASON},
 *       and the size within the dead-letter queue's MaximumMessageSize), the copy carries both: one message.</li>
 *   <li><b>Else</b> a small <b>note</b> goes first, in the same group: body = the reason, attributes
 *       {@value SqsWire#NOTE} = the letter's deduplication id and {@value SqsWire#ID} = the message id; then the
 *       copy, with {@value SqsWire#ID} only if it still fits. A FIFO group keeps them adjacent, note first, so a
 *       reader never holds a copy waiting for something after it. A note whose copy never followed (a sender that
 *       died between the two and was not retried) is an orphan: a reader drops it.</li>
 * </ul>
 *
 * <p>A message the queue moved by its redrive policy is a copy without a reason: read back with an empty reason and
 * {@link StoredLetter#movedByRedrive()}.
 *
 * <pre>{@code
 * List<EncodedMessage> toSend = DeadLetterEnvelope.encode(letter, SqsWire.LARGEST_MAX_MESSAGE_BYTES);  // 1 or 2
 * DeadLetterEnvelope.Read read = DeadLetterEnvelope.read(received, Instant.now(), Duration.ofMinutes(15));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class DeadLetterEnvelope {
    private DeadLetterEnvelope() {
    }

    /**
     * The messages to send, in order, to put {@code letter} on a dead-letter queue whose MaximumMessageSize is
     * {@code maxBytes}: the copy alone, or a note then the copy.
     *
     * @throws PermanentFailureException if the group id is invalid, or the letter has more attributes than SQS
     *         allows a message (never the case for a letter made from a received message)
     */
    public static List<EncodedMessage> encode(DeadLetter letter, long maxBytes) {
        Objects.requireNonNull(letter, "letter");
        if (!MailboxLimits.isValidId(letter.groupId())) {
            throw new PermanentFailureException("dead letter of message " + safeId(letter.messageId())
                    + " has an invalid group id");
        }
        String deadLetterId = validOrHashed(letter.deadLetterId(), "dlh-");
        Map<String, WireAttribute> copy = new LinkedHashMap<>();
        letter.attributes().forEach((name, value) -> {
            if (name != null && value != null && !name.startsWith(SqsWire.INTERNAL_PREFIX)) {
                copy.put(name, SqsWire.encodeValueLenient(value));
            }
        });
        SqsWire.Body body = SqsWire.encodeBody(letter.body());
        if (body.encoding() != null) {
            copy.put(SqsWire.ENCODING, WireAttribute.string(body.encoding()));
        }
        if (copy.size() > SqsWire.MAX_SQS_ATTRIBUTES) {
            throw new PermanentFailureException("dead letter of message " + safeId(letter.messageId()) + " has "
                    + copy.size() + " attributes; SQS allows " + SqsWire.MAX_SQS_ATTRIBUTES);
        }
        WireAttribute id = MailboxLimits.isValidId(letter.messageId()) ? WireAttribute.string(letter.messageId())
                : null;
        String reason = SqsWire.sqsSafe(letter.reason());

        Map<String, WireAttribute> full = new LinkedHashMap<>(copy);
        if (id != null) {
            full.put(SqsWire.ID, id);
        }
        full.put(SqsWire.REASON, SqsWire.encodeValue(reason));
        long fullSize = SqsWire.size(body.text(), full);
        if (full.size() <= SqsWire.MAX_SQS_ATTRIBUTES && fullSize <= maxBytes) {
            return List.of(new EncodedMessage(letter.groupId(), deadLetterId, body.text(),
                    Collections.unmodifiableMap(full), fullSize));
        }

        if (id != null && copy.size() < SqsWire.MAX_SQS_ATTRIBUTES) {
            Map<String, WireAttribute> withId = new LinkedHashMap<>(copy);
            withId.put(SqsWire.ID, id);
            if (SqsWire.size(body.text(), withId) <= maxBytes) {
                copy.put(SqsWire.ID, id);
            }
        }
        Map<String, WireAttribute> noteAttributes = new LinkedHashMap<>();
        noteAttributes.put(SqsWire.NOTE, WireAttribute.string(deadLetterId));
        if (id != null) {
            noteAttributes.put(SqsWire.ID, id);
        }
        EncodedMessage note = new EncodedMessage(letter.groupId(), noteDeduplicationId(deadLetterId), reason,
                Collections.unmodifiableMap(noteAttributes), SqsWire.size(reason, noteAttributes));
        EncodedMessage copyMessage = new EncodedMessage(letter.groupId(), deadLetterId, body.text(),
                Collections.unmodifiableMap(copy), SqsWire.size(body.text(), copy));
        return List.of(note, copyMessage);
    }

    /** The deduplication id of the note of the letter with {@code deadLetterId}. */
    static String noteDeduplicationId(String deadLetterId) {
        return "dln-" + SqsWire.sha256Hex("note\n" + deadLetterId, 20);
    }

    /**
     * What one receive from a dead-letter queue holds.
     *
     * <pre>{@code
     * DeadLetterEnvelope.Read r = DeadLetterEnvelope.read(batch, Instant.now(), Duration.ofMinutes(15));
     * r.letters().forEach(l -> show(l.messageId(), l.reason()));
     * }</pre>
     *
     * <p>Immutable and thread-safe.
     *
     * @param letters the complete letters, each group's in queue order
     * @param release notes whose copy was not in this receive: make them visible again and read later
     * @param discard orphan notes (their copy will never follow): delete them
     */
    public record Read(List<StoredLetter> letters, List<WireMessage> release, List<WireMessage> discard) {
    }

    /**
     * Reads the letters of one receive. A note must be followed, in the same receive, by its copy; a note last in
     * its group is to be released unless it is older than {@code orphanAfter} (then it is an orphan, as is a note
     * followed by anything but its copy).
     */
    public static Read read(List<WireMessage> batch, Instant now, Duration orphanAfter) {
        Map<String, List<WireMessage>> byGroup = new LinkedHashMap<>();
        for (WireMessage m : batch) {
            String group = m.system(WireMessage.GROUP_ID);
            byGroup.computeIfAbsent(group == null ? "" : group, g -> new ArrayList<>()).add(m);
        }
        List<StoredLetter> letters = new ArrayList<>();
        List<WireMessage> release = new ArrayList<>();
        List<WireMessage> discard = new ArrayList<>();
        for (List<WireMessage> group : byGroup.values()) {
            for (int i = 0; i < group.size(); i++) {
                WireMessage m = group.get(i);
                if (!SqsWire.isNote(m)) {
                    letters.add(fromCopy(m, null));
                    continue;
                }
                String link = SqsWire.decodeValue(m.attributes().get(SqsWire.NOTE));
                if (i + 1 < group.size()) {
                    WireMessage next = group.get(i + 1);
                    String nextDedup = next.system(WireMessage.DEDUPLICATION_ID);
                    if (!SqsWire.isNote(next) && (nextDedup == null || nextDedup.equals(link))) {
                        letters.add(fromCopy(next, m));
                        i++;
                    } else {
                        discard.add(m);
                    }
                } else {
                    Instant sent = sentAt(m);
                    if (Duration.between(sent, now).compareTo(orphanAfter) > 0) {
                        discard.add(m);
                    } else {
                        release.add(m);
                    }
                }
            }
        }
        return new Read(List.copyOf(letters), List.copyOf(release), List.copyOf(discard));
    }

    private static StoredLetter fromCopy(WireMessage copy, WireMessage note) {
        String group = copy.system(WireMessage.GROUP_ID);
        String dedup = copy.system(WireMessage.DEDUPLICATION_ID);
        String messageId = SqsWire.messageId(copy);
        String reason;
        boolean movedByRedrive = false;
        String deadLetterId = dedup == null ? "" : dedup;
        if (note != null) {
            reason = note.body();
            WireAttribute id = note.attributes().get(SqsWire.ID);
            if (id != null && MailboxLimits.isValidId(SqsWire.decodeValue(id))) {
                messageId = SqsWire.decodeValue(id);
            }
            deadLetterId = SqsWire.decodeValue(note.attributes().get(SqsWire.NOTE));
        } else if (copy.attributes().containsKey(SqsWire.REASON)) {
            reason = SqsWire.decodeValue(copy.attributes().get(SqsWire.REASON));
        } else {
            reason = "";
            movedByRedrive = true;
        }
        return new StoredLetter(group == null ? "" : group, messageId, deadLetterId, SqsWire.callerAttributes(copy),
                SqsWire.body(copy), reason, movedByRedrive, sentAt(copy), copy, note);
    }

    /**
     * The message that moves {@code letter} back to its source queue: the copy's body and attributes as they
     * travel (so an authenticated envelope stays byte-identical), the message id, and a fresh deduplication id
     * derived from the copy's place in the dead-letter queue, so that the move is never dropped as a duplicate of
     * the original while a repeated move of the same copy is.
     */
    public static EncodedMessage moveBack(StoredLetter letter) {
        Map<String, WireAttribute> attributes = SqsWire.callerWireAttributes(letter.copy().attributes());
        WireAttribute encoding = letter.copy().attributes().get(SqsWire.ENCODING);
        if (encoding != null) {
            attributes.put(SqsWire.ENCODING, encoding);
        }
        if (attributes.size() < SqsWire.MAX_SQS_ATTRIBUTES && MailboxLimits.isValidId(letter.messageId())) {
            attributes.put(SqsWire.ID, WireAttribute.string(letter.messageId()));
        }
        String place = letter.deadLetterId() + "\n" + letter.copy().system(WireMessage.SEQUENCE_NUMBER) + "\n"
                + letter.copy().sqsMessageId();
        return new EncodedMessage(letter.groupId(), "mv-" + SqsWire.sha256Hex(place, 20), letter.copy().body(),
                Collections.unmodifiableMap(attributes), SqsWire.size(letter.copy().body(), attributes));
    }

    private static Instant sentAt(WireMessage m) {
        return Instant.ofEpochMilli(SqsWire.parseLong(m.system(WireMessage.SENT_TIMESTAMP), 0L));
    }

    private static String validOrHashed(String id, String prefix) {
        return MailboxLimits.isValidId(id) ? id : prefix + SqsWire.sha256Hex(id, 20);
    }

    private static String safeId(String id) {
        return MailboxLimits.isValidId(id) ? id : "(invalid id, " + id.getBytes(StandardCharsets.UTF_8).length
                + " bytes)";
    }
}
