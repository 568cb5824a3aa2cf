package io.fifoactors.lambdaexample;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What Lambda's SQS event source mapping does, for tests: receive raw messages with every attribute, and turn them
 * into the event JSON Lambda hands the function (the shape of an SQS FIFO event record).
 */
final class EsmEvents {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final PojoSerializer<SQSEvent> SERIALIZER =
            LambdaEventSerializers.serializerFor(SQSEvent.class, EsmEvents.class.getClassLoader());

    private EsmEvents() {
    }

    /** One receive as the event source mapping makes it: all system and message attributes (FIFO or standard). */
    static List<Message> receive(SqsClient sqs, String queueUrl, int max, int visibilitySeconds, int waitSeconds) {
        ReceiveMessageRequest.Builder request = ReceiveMessageRequest.builder()
                .queueUrl(queueUrl)
                .maxNumberOfMessages(max)
                .visibilityTimeout(visibilitySeconds)
                .waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .messageAttributeNames("All");
        if (queueUrl.endsWith(".fifo")) {
            request.receiveRequestAttemptId(UUID.randomUUID().toString()); // FIFO queues only
        }
        return sqs.receiveMessage(request.build()).messages();
    }

    /** The event JSON for these messages, as Lambda builds it. */
    static String eventJson(List<Message> messages, String queueArn) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message m : messages) {
            ObjectNode r = records.addObject();
            r.put("messageId", m.messageId());
            r.put("receiptHandle", m.receiptHandle());
            r.put("body", m.body());
            ObjectNode attributes = r.putObject("attributes");
            m.attributesAsStrings().forEach(attributes::put);
            ObjectNode messageAttributes = r.putObject("messageAttributes");
            m.messageAttributes().forEach((name, value) -> messageAttributes.set(name, attribute(value)));
            r.put("md5OfBody", m.md5OfBody());
            if (m.md5OfMessageAttributes() != null) {
                r.put("md5OfMessageAttributes", m.md5OfMessageAttributes());
            }
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", queueArn);
            r.put("awsRegion", "us-east-1");
        }
        return event.toString();
    }

    private static ObjectNode attribute(MessageAttributeValue v) {
        ObjectNode a = JSON.createObjectNode();
        if (v.stringValue() != null) {
            a.put("stringValue", v.stringValue());
        }
        if (v.binaryValue() != null) {
            a.put("binaryValue", Base64.getEncoder().encodeToString(v.binaryValue().asByteArray()));
        }
        a.putArray("stringListValues");
        a.putArray("binaryListValues");
        a.put("dataType", v.dataType());
        return a;
    }

    /** The event as the Lambda runtime deserialises it (the same serializer the runtime interface client uses). */
    static SQSEvent parse(String json) {
        return SERIALIZER.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** A hand-made FIFO record, for messages that never went through a queue. */
    static ObjectNode record(String groupId, String messageId, String type, String body, String sequence) {
        ObjectNode r = JSON.createObjectNode();
        r.put("messageId", UUID.nameUUIDFromBytes((groupId + messageId).getBytes(StandardCharsets.UTF_8)).toString());
        r.put("receiptHandle", "handle-" + messageId);
        r.put("body", body);
        ObjectNode attributes = r.putObject("attributes");
        attributes.put("ApproximateReceiveCount", "1");
        attributes.put("SentTimestamp", "1732500000000");
        attributes.put("SequenceNumber", sequence);
        attributes.put("MessageGroupId", groupId);
        attributes.put("MessageDeduplicationId", messageId);
        attributes.put("SenderId", "AROAEXAMPLE:test");
        attributes.put("ApproximateFirstReceiveTimestamp", "1732500000001");
        ObjectNode messageAttributes = r.putObject("messageAttributes");
        for (Map.Entry<String, String> a : Map.of("fa-type", type, "fa-sqs-id", messageId).entrySet()) {
            ObjectNode v = messageAttributes.putObject(a.getKey());
            v.put("stringValue", a.getValue());
            v.putArray("stringListValues");
            v.putArray("binaryListValues");
            v.put("dataType", "String");
        }
        r.put("eventSource", "aws:sqs");
        r.put("eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:test.fifo");
        r.put("awsRegion", "us-east-1");
        return r;
    }

    static String event(List<ObjectNode> records) {
        ObjectNode event = JSON.createObjectNode();
        event.putArray("Records").addAll(records);
        return event.toString();
    }
}
