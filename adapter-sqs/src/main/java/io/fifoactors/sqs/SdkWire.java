package io.fifoactors.sqs;

import io.fifoactors.sqswire.EncodedMessage;
import io.fifoactors.sqswire.WireAttribute;
import io.fifoactors.sqswire.WireMessage;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps between the SDK's message types and the neutral forms of {@code io.fifoactors.sqswire}, where the wire rules
 * live. No rule of its own. Stateless and thread-safe.
 */
final class SdkWire {
    private SdkWire() {
    }

    static WireMessage toWire(Message m) {
        Map<String, WireAttribute> attributes = new LinkedHashMap<>();
        if (m.hasMessageAttributes()) {
            m.messageAttributes().forEach((name, v) -> attributes.put(name, toWire(v)));
        }
        return new WireMessage(m.messageId(), m.receiptHandle(), m.body(), m.attributesAsStrings(), attributes);
    }

    static WireAttribute toWire(MessageAttributeValue v) {
        return new WireAttribute(v.dataType() == null ? WireAttribute.STRING : v.dataType(), v.stringValue(),
                v.binaryValue() == null ? null : v.binaryValue().asByteArray());
    }

    static MessageAttributeValue toSdk(WireAttribute a) {
        MessageAttributeValue.Builder b = MessageAttributeValue.builder().dataType(a.dataType());
        if (a.binaryValue() != null) {
            b.binaryValue(SdkBytes.fromByteArray(a.binaryValue()));
        } else {
            b.stringValue(a.stringValue());
        }
        return b.build();
    }

    static Map<String, MessageAttributeValue> toSdk(Map<String, WireAttribute> attributes) {
        Map<String, MessageAttributeValue> out = new LinkedHashMap<>();
        attributes.forEach((name, a) -> out.put(name, toSdk(a)));
        return out;
    }

    /** A batch entry; {@code delaySeconds} null for none (FIFO queues take none). A null field is left out. */
    static SendMessageBatchRequestEntry entry(String id, EncodedMessage e, Integer delaySeconds) {
        return SendMessageBatchRequestEntry.builder()
                .id(id)
                .messageBody(e.body())
                .messageAttributes(toSdk(e.attributes()))
                .messageGroupId(e.groupId())
                .messageDeduplicationId(e.deduplicationId())
                .delaySeconds(delaySeconds)
                .build();
    }

    /** A single send, without delay. A null field (no group or deduplication id) is left out. */
    static SendMessageRequest request(String queueUrl, EncodedMessage e) {
        return SendMessageRequest.builder()
                .queueUrl(queueUrl)
                .messageBody(e.body())
                .messageAttributes(toSdk(e.attributes()))
                .messageGroupId(e.groupId())
                .messageDeduplicationId(e.deduplicationId())
                .build();
    }
}
