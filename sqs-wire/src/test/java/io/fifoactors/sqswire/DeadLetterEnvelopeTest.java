package io.fifoactors.sqswire;

import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.OutgoingMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.fifoactors.sqswire.SqsWireTest.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadLetterEnvelopeTest {
    private static final Instant NOW = Instant.ofEpochMilli(1_700_000_000_123L);
    private long nextSequence = 100;

    /** The queue's messages as SQS would deliver the encoded ones, in order. */
    private List<WireMessage> onQueue(List<EncodedMessage> sent) {
        List<WireMessage> out = new ArrayList<>();
        for (EncodedMessage e : sent) {
            out.add(SqsWireTest.received(e, Long.toString(nextSequence++), 1));
        }
        return out;
    }

    private static DeadLetter letter(Map<String, String> attributes, byte[] body, String reason) {
        Delivery d = new Delivery("m-1", "g/a", "42", 3, NOW, attributes, body, "rh");
        return DeadLetter.of(d, reason);
    }

    @Test
    void aLetterThatFitsIsOneCopyWithIdAndReason() {
        DeadLetter l = letter(Map.of("fa-type", "T"), utf8("{}"), "bad\u0000input");
        List<EncodedMessage> sent = DeadLetterEnvelope.encode(l, SqsWire.DEFAULT_MAX_MESSAGE_BYTES);
        assertEquals(1, sent.size());
        EncodedMessage copy = sent.get(0);
        assertEquals(l.deadLetterId(), copy.deduplicationId());
        assertEquals("g/a", copy.groupId());
        assertEquals(Map.of("fa-type", "T", SqsWire.ID, "m-1", SqsWire.REASON, "bad\ufffdinput"),
                SqsWireTest.decoded(copy.attributes()));

        DeadLetterEnvelope.Read read = DeadLetterEnvelope.read(onQueue(sent), NOW, Duration.ofMinutes(15));
        assertEquals(1, read.letters().size());
        StoredLetter back = read.letters().get(0);
        assertEquals("m-1", back.messageId());
        assertEquals("bad\ufffdinput", back.reason());
        assertEquals(l.deadLetterId(), back.deadLetterId());
        assertEquals(Map.of("fa-type", "T"), back.attributes());
        assertArrayEquals(utf8("{}"), back.body());
        assertFalse(back.movedByRedrive());
        assertNull(back.note());
    }

    @Test
    void aBodyThatFillsTheLimitSendsTheReasonInANoteBeforeAVerbatimCopy() {
        byte[] body = new byte[262_090]; // received from another producer: SQS took it (a 261,000-byte body failed on main)
        Arrays.fill(body, (byte) 'b');
        DeadLetter l = letter(Map.of("fa-type", "T", "fa-from", "x 1 2", "fa-auth", "k:t"), body, "handler failed");
        List<EncodedMessage> sent = DeadLetterEnvelope.encode(l, SqsWire.DEFAULT_MAX_MESSAGE_BYTES);
        assertEquals(2, sent.size());
        EncodedMessage note = sent.get(0);
        EncodedMessage copy = sent.get(1);
        assertEquals("handler failed", note.body());
        assertEquals(Map.of(SqsWire.NOTE, l.deadLetterId(), SqsWire.ID, "m-1"), SqsWireTest.decoded(note.attributes()));
        assertEquals(l.deadLetterId(), copy.deduplicationId());
        assertTrue(copy.sizeBytes() <= SqsWire.DEFAULT_MAX_MESSAGE_BYTES);
        assertEquals(Map.of("fa-type", "T", "fa-from", "x 1 2", "fa-auth", "k:t"),
                SqsWire.callerAttributes(new WireMessage("x", null, copy.body(), Map.of(), copy.attributes())));
        assertFalse(note.deduplicationId().equals(copy.deduplicationId()));

        StoredLetter back = DeadLetterEnvelope.read(onQueue(sent), NOW, Duration.ofMinutes(15)).letters().get(0);
        assertEquals("handler failed", back.reason());
        assertEquals("m-1", back.messageId());
        assertArrayEquals(body, back.body());
        assertEquals(2, back.parts().size());
    }

    @Test
    void tenAttributesLeaveNoRoomSoIdAndReasonTravelInTheNote() {
        Map<String, String> ten = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            ten.put("a" + i, "v" + i);
        }
        DeadLetter l = letter(ten, utf8("{}"), "too many");
        List<EncodedMessage> sent = DeadLetterEnvelope.encode(l, SqsWire.LARGEST_MAX_MESSAGE_BYTES);
        assertEquals(2, sent.size());
        assertEquals(10, sent.get(1).attributes().size());
        StoredLetter back = DeadLetterEnvelope.read(onQueue(sent), NOW, Duration.ofMinutes(15)).letters().get(0);
        assertEquals(ten, back.attributes());
        assertEquals("m-1", back.messageId());
        assertEquals("too many", back.reason());
    }

    @Test
    void aNoteWithoutItsCopyInTheReceiveIsReleasedAndAnOrphanDropped() {
        Map<String, String> ten = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            ten.put("a" + i, "v");
        }
        List<WireMessage> q = onQueue(DeadLetterEnvelope.encode(letter(ten, utf8("x"), "r"), SqsWire.LARGEST_MAX_MESSAGE_BYTES));
        DeadLetterEnvelope.Read alone = DeadLetterEnvelope.read(q.subList(0, 1), NOW, Duration.ofMinutes(15));
        assertEquals(List.of(), alone.letters());
        assertEquals(List.of(q.get(0)), alone.release());
        DeadLetterEnvelope.Read old = DeadLetterEnvelope.read(q.subList(0, 1), NOW.plus(Duration.ofMinutes(16)),
                Duration.ofMinutes(15));
        assertEquals(List.of(q.get(0)), old.discard());

        // a note followed by another message of its group is an orphan; the other message is read normally
        List<WireMessage> other = onQueue(DeadLetterEnvelope.encode(
                new DeadLetter("g/a", "m-2", "dl-other", Map.of(), utf8("y"), "second"), SqsWire.LARGEST_MAX_MESSAGE_BYTES));
        DeadLetterEnvelope.Read mixed = DeadLetterEnvelope.read(List.of(q.get(0), other.get(0)), NOW,
                Duration.ofMinutes(15));
        assertEquals(List.of(q.get(0)), mixed.discard());
        assertEquals(List.of("second"), mixed.letters().stream().map(StoredLetter::reason).toList());
    }

    @Test
    void aMessageMovedByTheQueuesRedriveHasNoReason() {
        EncodedMessage original = SqsWire.encode(new OutgoingMessage("g/a", "m-2", Map.of("fa-type", "T"), utf8("p")));
        WireMessage moved = SqsWireTest.received(new EncodedMessage("g/a", "server-assigned", original.body(),
                original.attributes(), original.sizeBytes()), "7", 4);
        StoredLetter back = DeadLetterEnvelope.read(List.of(moved), NOW, Duration.ofMinutes(15)).letters().get(0);
        assertTrue(back.movedByRedrive());
        assertEquals("", back.reason());
        assertEquals("m-2", back.messageId());
    }

    @Test
    void movingBackKeepsBodyAndAttributesByteForByteWithAFreshDeduplicationId() {
        DeadLetter l = letter(Map.of("fa-type", "T", "e", ""), new byte[] {(byte) 0xFF, 0}, "why");
        List<WireMessage> q = onQueue(DeadLetterEnvelope.encode(l, SqsWire.DEFAULT_MAX_MESSAGE_BYTES));
        StoredLetter back = DeadLetterEnvelope.read(q, NOW, Duration.ofMinutes(15)).letters().get(0);
        EncodedMessage move = DeadLetterEnvelope.moveBack(back);
        assertEquals(q.get(0).body(), move.body());
        assertEquals(q.get(0).attributes().get("e"), move.attributes().get("e"));
        assertEquals(q.get(0).attributes().get(SqsWire.ENCODING), move.attributes().get(SqsWire.ENCODING));
        assertFalse(move.attributes().containsKey(SqsWire.REASON));
        assertTrue(move.deduplicationId().startsWith("mv-"));
        assertFalse(move.deduplicationId().equals(SqsWire.deduplicationId("g/a", "m-1")));
        assertEquals(move.deduplicationId(), DeadLetterEnvelope.moveBack(back).deduplicationId(), "deterministic");
        Delivery again = SqsWire.toDelivery(SqsWireTest.received(move, "900", 1));
        assertEquals("m-1", again.messageId());
        assertArrayEquals(new byte[] {(byte) 0xFF, 0}, again.body());
        assertEquals(Map.of("fa-type", "T", "e", ""), again.attributes());
    }

    @Test
    void anInvalidDeadLetterIdIsHashedIntoAValidOne() {
        List<EncodedMessage> sent = DeadLetterEnvelope.encode(new DeadLetter("g/a", "m", "has spaces", Map.of(),
                utf8("x"), "r"), SqsWire.DEFAULT_MAX_MESSAGE_BYTES);
        assertTrue(sent.get(0).deduplicationId().startsWith("dlh-"));
    }
}
