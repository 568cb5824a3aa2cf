package io.fifoactors.core.port;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * A message given up on, with the reason. The original attributes and body travel unchanged so that an operator
 * can inspect and move it back. {@code deadLetterId} deduplicates the dead-letter queue: the same delivery
 * dead-lettered twice (a consumer died between the dead-letter send and the acknowledgement) gives one letter, while
 * the same message moved back by an operator and dead-lettered again (a new delivery, with a new sequence number)
 * gives a second one.
 *
 * <pre>{@code
 * mailbox.deadLetter(DeadLetter.of(delivery, "handler failed 5 times: IllegalStateException"));
 * }</pre>
 *
 * <p>Immutable by convention (the body is shared). Thread-safe under that convention.
 */
public record DeadLetter(String groupId, String messageId, String deadLetterId, Map<String, String> attributes,
                         byte[] body, String reason) {
    /** Longest reason kept; longer reasons are cut (reasons are for people). */
    public static final int MAX_REASON_LENGTH = 1024;

    public DeadLetter {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(deadLetterId, "deadLetterId");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(reason, "reason");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("a dead letter needs a reason");
        }
        if (reason.length() > MAX_REASON_LENGTH) {
            reason = reason.substring(0, MAX_REASON_LENGTH);
        }
    }

    /** The dead letter for a delivered message; its id is derived from the group and the sequence number. */
    public static DeadLetter of(Delivery delivery, String reason) {
        return new DeadLetter(delivery.groupId(), delivery.messageId(),
                idFor(delivery.groupId(), delivery.sequenceNumber()), delivery.attributes(), delivery.body(), reason);
    }

    /**
     * A deterministic dead-letter id for the message with {@code sequenceNumber} in {@code groupId}: "dl-" and 40
     * hex digits of a SHA-256 (a valid SQS deduplication id).
     */
    public static String idFor(String groupId, String sequenceNumber) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((groupId + "\n" + sequenceNumber).getBytes(StandardCharsets.UTF_8));
            return "dl-" + HexFormat.of().formatHex(d, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "DeadLetter[" + groupId + " " + messageId + " (" + body.length + " B): " + reason + "]";
    }
}
