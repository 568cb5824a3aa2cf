package io.fifoactors.sqswire;

import java.util.Map;
import java.util.Objects;

/**
 * A message as received from SQS, in a form no SDK owns: what an adapter maps an SDK's received message (or a
 * Lambda event record) to before {@link SqsWire} decodes it.
 *
 * <pre>{@code
 * WireMessage m = new WireMessage(sdk.messageId(), sdk.receiptHandle(), sdk.body(), systemAttributes, attributes);
 * Delivery d = SqsWire.toDelivery(m);
 * }</pre>
 *
 * <p>Immutable by convention (the maps are not copied). Thread-safe under that convention.
 *
 * @param sqsMessageId     SQS's own message id (may be null in a hand-made record)
 * @param receiptHandle    the receipt handle, or null (a Lambda record may have none)
 * @param body             the body text as SQS delivered it
 * @param systemAttributes system attributes by their names (MessageGroupId, SequenceNumber, ...)
 * @param attributes       message attributes by name
 */
public record WireMessage(String sqsMessageId, String receiptHandle, String body, Map<String, String> systemAttributes,
                          Map<String, WireAttribute> attributes) {
    /** System attribute: the message group id. */
    public static final String GROUP_ID = "MessageGroupId";
    /** System attribute: the sequence number (FIFO). */
    public static final String SEQUENCE_NUMBER = "SequenceNumber";
    /** System attribute: how many times the message was received. */
    public static final String RECEIVE_COUNT = "ApproximateReceiveCount";
    /** System attribute: when SQS accepted the message, epoch milliseconds. */
    public static final String SENT_TIMESTAMP = "SentTimestamp";
    /** System attribute: the deduplication id (FIFO). */
    public static final String DEDUPLICATION_ID = "MessageDeduplicationId";

    public WireMessage {
        body = body == null ? "" : body;
        systemAttributes = systemAttributes == null ? Map.of() : systemAttributes;
        attributes = attributes == null ? Map.of() : attributes;
    }

    /** A system attribute, or null. */
    public String system(String name) {
        return systemAttributes.get(Objects.requireNonNull(name, "name"));
    }

    @Override
    public String toString() {
        return "WireMessage[" + sqsMessageId + " group=" + system(GROUP_ID) + " seq=" + system(SEQUENCE_NUMBER)
                + ", " + attributes.size() + " attributes]";
    }
}
