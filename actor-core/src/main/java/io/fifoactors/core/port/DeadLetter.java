package io.fifoactors.core.port;

import java.util.Map;
import java.util.Objects;

/**
 * A message given up on, with the reason. The original attributes and body travel unchanged so that an operator
 * can inspect and redrive it.
 *
 * <pre>{@code
 * mailbox.deadLetter(DeadLetter.of(delivery, "handler failed 5 times: IllegalStateException"));
 * }</pre>
 *
 * <p>Immutable by convention (the body is shared). Thread-safe under that convention.
 */
public record DeadLetter(String groupId, String messageId, Map<String, String> attributes, byte[] body, String reason) {
    /** Longest reason kept; longer reasons are cut (SQS attribute values are limited and reasons are for people). */
    public static final int MAX_REASON_LENGTH = 1024;

    public DeadLetter {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(reason, "reason");
        if (reason.length() > MAX_REASON_LENGTH) {
            reason = reason.substring(0, MAX_REASON_LENGTH);
        }
    }

    /** The dead letter for a delivered message. */
    public static DeadLetter of(Delivery delivery, String reason) {
        return new DeadLetter(delivery.groupId(), delivery.messageId(), delivery.attributes(), delivery.body(), reason);
    }
}
