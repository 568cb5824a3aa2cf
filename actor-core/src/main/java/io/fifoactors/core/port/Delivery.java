package io.fifoactors.core.port;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One received message. {@code sequenceNumber} is a decimal string that grows strictly within a group (compare
 * with {@link SequenceNumbers#compare}); {@code receiveCount} starts at 1 and grows with every redelivery;
 * {@code receiptHandle} is opaque and names this receipt for acknowledge and release.
 *
 * <pre>{@code
 * for (Delivery d : mailbox.receive(10, Duration.ofSeconds(30), Duration.ofSeconds(1))) {
 *     log(d.groupId(), d.messageId(), d.receiveCount());
 * }
 * }</pre>
 *
 * <p>Immutable by convention (the body array is shared, not copied). Thread-safe under that convention.
 */
public record Delivery(
        String messageId,
        String groupId,
        String sequenceNumber,
        int receiveCount,
        Instant sentAt,
        Map<String, String> attributes,
        byte[] body,
        String receiptHandle) {
    public Delivery {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(receiptHandle, "receiptHandle");
        if (receiveCount < 1) {
            throw new IllegalArgumentException("receiveCount must be at least 1");
        }
    }

    @Override
    public String toString() {
        return "Delivery[" + groupId + " " + messageId + " seq=" + sequenceNumber + " receives=" + receiveCount + "]";
    }
}
