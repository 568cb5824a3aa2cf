package io.fifoactors.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.fifoactors.sqswire.SqsWire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Synthetic records that take the decoder's and the timer envelope's branches, for priming at init. Stateless. */
final class Priming {
    private Priming() {
    }

    static SQSEvent.SQSMessage syntheticRecord() {
        Map<String, String> system = new LinkedHashMap<>();
        system.put(SqsEventDecoder.GROUP_ID, "priming/priming");
        system.put(SqsEventDecoder.SEQUENCE_NUMBER, "1");
        system.put(SqsEventDecoder.DEDUPLICATION_ID, "priming");
        Map<String, SQSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
        attributes.put(SqsEventDecoder.ID, string("priming"));
        attributes.put(SqsEventDecoder.ENCODING, string(SqsEventDecoder.BASE64));
        attributes.put("fa-type", string("Priming"));
        SQSEvent.MessageAttribute binary = new SQSEvent.MessageAttribute();
        binary.setDataType(SqsEventDecoder.BINARY);
        byte[] value = "\u0000x".getBytes(StandardCharsets.UTF_8);
        binary.setBinaryValue(ByteBuffer.wrap(value));
        attributes.put("fa-priming", binary);
        return record("00000000-0000-0000-0000-000000000000", "AAEC", system, attributes);
    }

    /** A timer carrier as a standard queue delivers it (no group, no sequence), due at the epoch. */
    static SQSEvent.SQSMessage syntheticCarrier() {
        Map<String, SQSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
        attributes.put(SqsWire.TIMER, string("1 0 priming/priming priming"));
        attributes.put("fa-type", string("Priming"));
        return record("00000000-0000-0000-0000-000000000001", "{}", new LinkedHashMap<>(), attributes);
    }

    /** A record received once, sent at the epoch, with the given system attributes added to those. */
    private static SQSEvent.SQSMessage record(String messageId, String body, Map<String, String> system,
                                              Map<String, SQSEvent.MessageAttribute> attributes) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(messageId);
        m.setReceiptHandle("priming");
        m.setBody(body);
        m.setEventSource("aws:sqs");
        system.put(SqsEventDecoder.RECEIVE_COUNT, "1");
        system.put(SqsEventDecoder.SENT_TIMESTAMP, "0");
        m.setAttributes(system);
        m.setMessageAttributes(attributes);
        return m;
    }

    private static SQSEvent.MessageAttribute string(String value) {
        SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
        a.setDataType("String");
        a.setStringValue(value);
        return a;
    }
}
