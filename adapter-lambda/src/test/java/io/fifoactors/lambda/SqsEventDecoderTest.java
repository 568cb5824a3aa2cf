package io.fifoactors.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.port.Delivery;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SQS mailbox's wire format, decoded from event records (the live round trip is in lambda-example). */
class SqsEventDecoderTest {
    private static final List<SQSEvent.SQSMessage> RECORDS =
            Harness.event("fifo-wire-encodings.json").getRecords();

    private static Delivery decode(int i) {
        return SqsEventDecoder.decode(RECORDS.get(i));
    }

    @Test
    void base64BodiesAreDecoded() {
        Delivery d = decode(0);
        assertArrayEquals(new byte[] {(byte) 0xff, 0x00, 0x7b}, d.body());
        assertEquals("w-base64", d.messageId());
        assertEquals(Map.of("fa-type", "Add"), d.attributes(), "internal attributes are stripped");
    }

    @Test
    void anEmptyBodyTravelsAsAPlaceholder() {
        assertArrayEquals(new byte[0], decode(1).body());
    }

    @Test
    void binaryAttributesCarryStringsThatSqsCannot() {
        Map<String, String> a = decode(2).attributes();
        assertEquals("", a.get("x-empty"));
        assertEquals("a\u0001b", a.get("x-control"));
        assertEquals("AQID", a.get("x-raw"), "other binary values become Base64 text");
        assertEquals("caf\u00e9 \u2603", a.get("x-text"));
        assertEquals("42", a.get("x-number"));
        assertEquals("{\"amount\":4}", new String(decode(2).body(), StandardCharsets.UTF_8));
    }

    @Test
    void systemAttributesBecomeTheDeliverysFields() {
        SQSEvent.SQSMessage r = RECORDS.get(3);
        Delivery d = decode(3);
        assertEquals("producer-77", d.messageId(), "without fa-sqs-id the deduplication id is the message id");
        assertEquals("tally/w", d.groupId());
        assertEquals(r.getAttributes().get("SequenceNumber"), d.sequenceNumber());
        assertEquals(3, d.receiveCount());
        assertEquals(Instant.ofEpochMilli(1732500000000L), d.sentAt());
        assertEquals(r.getReceiptHandle(), d.receiptHandle());
    }

    @Test
    void theIdAttributeWinsOverTheDeduplicationId() {
        assertEquals("w-kept", decode(4).messageId());
    }

    @Test
    void anIdAttributeThatIsNotAValidIdIsIgnored() {
        SQSEvent.SQSMessage r = RECORDS.get(4);
        SQSEvent.SQSMessage forged = new SQSEvent.SQSMessage();
        forged.setMessageId("m-3");
        forged.setAttributes(r.getAttributes());
        SQSEvent.MessageAttribute id = new SQSEvent.MessageAttribute();
        id.setDataType("String");
        id.setStringValue("has spaces");
        forged.setMessageAttributes(Map.of(SqsEventDecoder.ID, id));
        assertEquals(r.getAttributes().get("MessageDeduplicationId"), SqsEventDecoder.decode(forged).messageId());
    }

    @Test
    void unknownOrBrokenEncodingsLeaveTheBodyAsText() {
        assertEquals("{\"amount\":7}", new String(decode(5).body(), StandardCharsets.UTF_8));
        assertEquals("not base64!", new String(decode(6).body(), StandardCharsets.UTF_8));
    }

    @Test
    void decodingDoesNotConsumeAttributeBuffers() {
        Map<String, String> first = decode(2).attributes();
        assertEquals(first, decode(2).attributes());
    }

    @Test
    void aRecordWithoutFifoAttributesIsRefusedWithAClearReason() {
        SQSEvent.SQSMessage r = RECORDS.get(0);
        SQSEvent.SQSMessage standard = new SQSEvent.SQSMessage();
        standard.setMessageId("m-1");
        standard.setBody("{}");
        Map<String, String> attrs = new HashMap<>(r.getAttributes());
        attrs.remove("MessageGroupId");
        standard.setAttributes(attrs);
        PermanentFailureException e = assertThrows(PermanentFailureException.class,
                () -> SqsEventDecoder.decode(standard));
        assertEquals("SQS message m-1 has no MessageGroupId attribute: is the queue a FIFO queue?", e.getMessage());
    }

    @Test
    void missingOptionalPartsHaveSafeDefaults() {
        SQSEvent.SQSMessage bare = new SQSEvent.SQSMessage();
        bare.setMessageId("m-2");
        bare.setAttributes(Map.of("MessageGroupId", "tally/x", "SequenceNumber", "7",
                "ApproximateReceiveCount", "zero"));
        Delivery d = SqsEventDecoder.decode(bare);
        assertEquals("m-2", d.messageId());
        assertEquals(1, d.receiveCount());
        assertEquals(Instant.EPOCH, d.sentAt());
        assertEquals("", d.receiptHandle());
        assertArrayEquals(new byte[0], d.body());
        assertTrue(d.attributes().isEmpty());
    }
}
