package io.fifoactors.sqswire;

import java.util.Map;

/**
 * A message ready to send: everything a SendMessage(Batch) entry needs, in a form no SDK owns.
 *
 * <pre>{@code
 * EncodedMessage e = SqsWire.encode(new OutgoingMessage("account/a1", "m-1", Map.of("fa-type", "Deposit"), body));
 * }</pre>
 *
 * <p>Immutable by convention (the map and binary values are not copied). Thread-safe under that convention.
 *
 * @param groupId         the MessageGroupId (null for a standard queue)
 * @param deduplicationId the MessageDeduplicationId (null for a standard queue)
 * @param body            the body text
 * @param attributes      the message attributes, the adapter's own included
 * @param sizeBytes       the size SQS counts: body bytes plus name, data type and value bytes of every attribute
 */
public record EncodedMessage(String groupId, String deduplicationId, String body, Map<String, WireAttribute> attributes,
                             long sizeBytes) {
    @Override
    public String toString() {
        return "EncodedMessage[" + groupId + " " + deduplicationId + ", " + sizeBytes + " B, " + attributes.size()
                + " attributes]";
    }
}
