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
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId("00000000-0000-0000-0000-000000000000");
        m.setReceiptHandle("priming");
        m.setBody("AAEC");
        m.setEventSource("aws:sqs");
        Map<String, String> system = new LinkedHashMap<>();
        system.put(SqsEventDecoder.GROUP_ID, "priming/priming");
        system.put(SqsEventDecoder.SEQUENCE_NUMBER, "1");
        system.put(SqsEventDecoder.RECEIVE_COUNT, "1");
        system.put(SqsEventDecoder.SENT_TIMESTAMP, "0");
        system.put(SqsEventDecoder.DEDUPLICATION_ID, "priming");
        m.setAttributes(system);
        Map<String, SQSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
        attributes.put(SqsEventDecoder.ID, string("priming"));
        attributes.put(SqsEventDecoder.ENCODING, string(SqsEventDecoder.BASE64));
        attributes.put("fa-type", string("Priming"));
        SQSEvent.MessageAttribute binary = new SQSEvent.MessageAttribute();
        binary.setDataType(SqsEventDecoder.BINARY);
        byte[] value = "\u0000x".getBytes(StandardCharsets.UTF_8);
        binary.setBinaryValue(ByteBuffer.wrap(value));
        attributes.put("fa-priming", binary);
        m.setMessageAttributes(attributes);
        return m;
    }

    /** A timer carrier as a standard queue delivers it (no group, no sequence), due at the epoch. */
    static SQSEvent.SQSMessage syntheticCarrier() {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId("00000000-0000-0000-0000-000000000001");
        m.setReceiptHandle("priming");
        m.setBody("{}");
        m.setEventSource("aws:sqs");
        Map<String, String> system = new LinkedHashMap<>();
        system.put(SqsEventDecoder.RECEIVE_COUNT, "1");
        system.put(SqsEventDecoder.SENT_TIMESTAMP, "0");
        m.setAttributes(system);
        Map<String, SQSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
        attributes.put(SqsWire.TIMER, string("1 0 priming/priming priming"));
        attributes.put("fa-type", string("Priming"));
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
