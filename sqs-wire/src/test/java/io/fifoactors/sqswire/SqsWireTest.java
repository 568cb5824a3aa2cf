package io.fifoactors.sqswire;

import io.fifoactors.core.MessageTooLargeException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.MailboxLimits;
import io.fifoactors.core.port.OutgoingMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqsWireTest {
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static void assertRoundTrip(byte[] body) {
        SqsWire.Body encoded = SqsWire.encodeBody(body);
        assertFalse(encoded.text().isEmpty(), "SQS refuses an empty body");
        assertTrue(MailboxLimits.isSqsText(encoded.text()), "the sent text must be acceptable to SQS");
        assertArrayEquals(body, SqsWire.decodeBody(encoded.text(), encoded.encoding()));
        assertEquals(MailboxLimits.bodySize(body), body.length == 0 ? 0 : SqsWire.utf8Length(encoded.text()),
                "Mailbox.sizeOf counts the body as it travels");
    }

    /** A received message as SQS would deliver the encoded one. */
    static WireMessage received(EncodedMessage e, String sequence, int receiveCount) {
        Map<String, String> system = new LinkedHashMap<>();
        system.put(WireMessage.GROUP_ID, e.groupId());
        system.put(WireMessage.SEQUENCE_NUMBER, sequence);
        system.put(WireMessage.RECEIVE_COUNT, Integer.toString(receiveCount));
        system.put(WireMessage.SENT_TIMESTAMP, "1700000000123");
        system.put(WireMessage.DEDUPLICATION_ID, e.deduplicationId());
        return new WireMessage("sqs-" + sequence, "rh-" + sequence, e.body(), system, e.attributes());
    }

    // ------------------------------------------------------------------------------------------------ bodies

    @Test
    void textThatSqsAcceptsIsSentAsIs() {
        String text = "{\"note\":\"caf\u00e9 \u20ac \ud83d\ude00\"}\t\r\n\ud7ff\ue000\ufffd\udbff\udfff";
        SqsWire.Body encoded = SqsWire.encodeBody(utf8(text));
        assertEquals(text, encoded.text());
        assertNull(encoded.encoding());
        assertRoundTrip(utf8(text));
    }

    @Test
    void invalidUtf8AndCharactersSqsRefusesAreSentAsBase64() {
        byte[][] invalid = {bytes(0xC3, 0x28), bytes(0xC0, 0xAF), bytes(0xED, 0xA0, 0x80), bytes(0xF4, 0x90, 0x80, 0x80),
                bytes(0xE2, 0x82), bytes(0xFF)};
        for (byte[] b : invalid) {
            assertEquals(SqsWire.BASE64, SqsWire.encodeBody(b).encoding(), Arrays.toString(b));
            assertRoundTrip(b);
        }
        for (String s : new String[] {"\u0000", "a\u0001b", "\u001f", "\u0008", "\ufffe", "\uffff", "x\u000by"}) {
            assertEquals(SqsWire.BASE64, SqsWire.encodeBody(utf8(s)).encoding());
            assertRoundTrip(utf8(s));
        }
    }

    @Test
    void anEmptyBodyIsSentAsAPlaceholderAndComesBackEmpty() {
        SqsWire.Body encoded = SqsWire.encodeBody(new byte[0]);
        assertEquals(SqsWire.EMPTY, encoded.encoding());
        assertArrayEquals(new byte[0], SqsWire.decodeBody(encoded.text(), encoded.encoding()));
    }

    @Test
    void randomBodiesRoundTrip() {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[random.nextInt(64)];
            random.nextBytes(b);
            if (i % 2 == 0) {
                for (int j = 0; j < b.length; j++) {
                    b[j] = (byte) (b[j] & 0x7F);
                }
            }
            assertRoundTrip(b);
        }
    }

    @Test
    void aBodyWhoseEncodingIsBrokenOrUnknownComesBackAsItsText() {
        assertArrayEquals(utf8("not base64!"), SqsWire.decodeBody("not base64!", SqsWire.BASE64));
        assertArrayEquals(utf8("abc"), SqsWire.decodeBody("abc", "gzip"));
    }

    // ------------------------------------------------------------------------------------------------ attributes

    @Test
    void attributeValuesSqsCannotCarryAsStringsTravelAsBinaryAndComeBack() {
        for (String value : new String[] {"", "\u0000", "tab\tok but \u0001 not", "\uffff"}) {
            WireAttribute v = SqsWire.encodeValue(value);
            assertEquals(WireAttribute.BINARY, v.dataType());
            assertEquals(value, SqsWire.decodeValue(v));
        }
        WireAttribute plain = SqsWire.encodeValue("account/a-1 \ud83d\ude00");
        assertEquals(WireAttribute.STRING, plain.dataType());
        assertEquals("account/a-1 \ud83d\ude00", SqsWire.decodeValue(plain));
        assertThrows(PermanentFailureException.class, () -> SqsWire.encodeValue("a\ud800b"));
        assertEquals("a\ufffdb", SqsWire.decodeValue(SqsWire.encodeValueLenient("a\ud800b")));
    }

    @Test
    void foreignBinaryAndNumberAttributesComeBackAsText() {
        assertEquals("AQID", SqsWire.decodeValue(WireAttribute.binary(bytes(1, 2, 3))));
        assertEquals("AQID", SqsWire.decodeValue(new WireAttribute("Binary.custom", null, bytes(1, 2, 3))));
        assertEquals("42", SqsWire.decodeValue(new WireAttribute("Number", "42", null)));
        assertEquals("", SqsWire.decodeValue(new WireAttribute("String", null, null)));
    }

    @Test
    void theInternalAttributesAreTheIdAndTheEncodingWhenNeeded() {
        EncodedMessage text = SqsWire.encode(new OutgoingMessage("g/a", "m-1", Map.of("k", "v"), utf8("x")));
        assertEquals(Map.of("k", "v", SqsWire.ID, "m-1"), decoded(text.attributes()));
        EncodedMessage binary = SqsWire.encode(new OutgoingMessage("g/a", "m-2", Map.of(), bytes(0xFF)));
        assertEquals(Map.of(SqsWire.ID, "m-2", SqsWire.ENCODING, SqsWire.BASE64), decoded(binary.attributes()));
    }

    static Map<String, String> decoded(Map<String, WireAttribute> attributes) {
        Map<String, String> out = new LinkedHashMap<>();
        attributes.forEach((k, v) -> out.put(k, SqsWire.decodeValue(v)));
        return out;
    }

    @Test
    void everyMailboxRuleIsCheckedBeforeEncoding() {
        assertThrows(PermanentFailureException.class, () -> SqsWire.encode(new OutgoingMessage("g a", "m", Map.of(),
                utf8("x"))));
        assertThrows(PermanentFailureException.class, () -> SqsWire.encode(new OutgoingMessage("g", "m",
                Map.of("fa-sqs-id", "x"), utf8("x"))));
        assertThrows(PermanentFailureException.class, () -> SqsWire.encode(new OutgoingMessage("g", "m",
                Map.of("AWS.trace", "x"), utf8("x"))));
    }

    // ------------------------------------------------------------------------------------------------ dedup ids

    @Test
    void deduplicationIdsArePerGroupValidAndDistinct() {
        assertEquals("7:account" + "m-1", SqsWire.deduplicationId("account", "m-1"));
        assertEquals("9:account/am-1", SqsWire.deduplicationId("account/a", "m-1"));
        assertFalse(SqsWire.deduplicationId("a:b", "c").equals(SqsWire.deduplicationId("a", "b:c")));
        String longest = SqsWire.deduplicationId("g".repeat(128), "m".repeat(128));
        assertTrue(longest.startsWith("h:") && longest.length() == 66, longest);
        Random random = new Random(3);
        Set<String> seen = new HashSet<>();
        Set<String> pairs = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            String g = randomId(random);
            String m = randomId(random);
            String d = SqsWire.deduplicationId(g, m);
            assertTrue(MailboxLimits.isValidId(d), d);
            if (pairs.add(g + "\u0000" + m)) {
                assertTrue(seen.add(d), "two pairs share " + d);
            }
        }
    }

    private static String randomId(Random random) {
        int n = 1 + (random.nextInt(4) == 0 ? random.nextInt(128) : random.nextInt(4));
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append((char) ('0' + random.nextInt(4) * 10 + random.nextInt(2)));
        }
        return b.toString();
    }

    // ------------------------------------------------------------------------------------------------ sizes

    @Test
    void sizeCountsBodyAndNameTypeAndValueOfEveryAttribute() {
        EncodedMessage e = SqsWire.encode(new OutgoingMessage("g/a", "m-1", Map.of("k", "\u20ac"), utf8("abc")));
        long expected = 3 + (1 + 6 + 3) + (SqsWire.ID.length() + 6 + 3);
        assertEquals(expected, e.sizeBytes());
    }

    @Test
    void aMessageAtThePortableLimitFitsSqsWithTheAdaptersOwnAttributes() {
        Map<String, String> seven = new LinkedHashMap<>();
        for (int i = 0; i < 7; i++) {
            seven.put("a" + i, "");
        }
        long attributeBytes = 0;
        for (String k : seven.keySet()) {
            attributeBytes += k.length() + 6;
        }
        byte[] body = new byte[(int) (Mailbox.MAX_MESSAGE_BYTES - attributeBytes)];
        Arrays.fill(body, (byte) 'x');
        String id = "i".repeat(128);
        EncodedMessage e = SqsWire.encode(new OutgoingMessage("g".repeat(128), id, seven, body));
        assertTrue(e.sizeBytes() <= SqsWire.DEFAULT_MAX_MESSAGE_BYTES, "the 2 KiB reserve holds: " + e.sizeBytes());
        byte[] over = Arrays.copyOf(body, body.length + 1);
        over[over.length - 1] = 'x';
        MessageTooLargeException tooLarge = assertThrows(MessageTooLargeException.class,
                () -> SqsWire.encode(new OutgoingMessage("g", "m-1", seven, over)));
        assertFalse(tooLarge.getMessage().contains("xxxx"), "no body in messages");
    }

    // ------------------------------------------------------------------------------------------------ incoming

    @Test
    void aReceivedMessageBecomesADeliveryWithoutTheInternalAttributes() {
        EncodedMessage sent = SqsWire.encode(new OutgoingMessage("g/a", "m-1", Map.of("fa-type", "T", "e", ""),
                bytes(0xFF, 0x00)));
        Delivery d = SqsWire.toDelivery(received(sent, "18446744073709551617", 3));
        assertEquals("m-1", d.messageId());
        assertEquals("g/a", d.groupId());
        assertEquals("18446744073709551617", d.sequenceNumber());
        assertEquals(3, d.receiveCount());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), d.sentAt());
        assertEquals(Map.of("fa-type", "T", "e", ""), d.attributes());
        assertArrayEquals(bytes(0xFF, 0x00), d.body());
        assertEquals("rh-18446744073709551617", d.receiptHandle());
    }

    @Test
    void aProducerSetIdAttributeIsUsedOnlyIfItIsAValidId() {
        Map<String, String> system = Map.of(WireMessage.GROUP_ID, "g/a", WireMessage.SEQUENCE_NUMBER, "1",
                WireMessage.DEDUPLICATION_ID, "dedup-9");
        assertEquals("kept", SqsWire.messageId(new WireMessage("sqs-1", "rh", "b", system,
                Map.of(SqsWire.ID, WireAttribute.string("kept")))));
        for (String bad : new String[] {"has spaces", "", "x".repeat(129), "caf\u00e9"}) {
            WireAttribute a = bad.isEmpty() ? SqsWire.encodeValue(bad) : WireAttribute.string(bad);
            assertEquals("dedup-9", SqsWire.messageId(new WireMessage("sqs-1", "rh", "b", system,
                    Map.of(SqsWire.ID, a))), bad);
        }
        Map<String, String> badDedup = Map.of(WireMessage.GROUP_ID, "g/a", WireMessage.SEQUENCE_NUMBER, "1");
        assertEquals("sqs-1", SqsWire.messageId(new WireMessage("sqs-1", "rh", "b", badDedup,
                Map.of(SqsWire.ID, WireAttribute.string("bad id")))));
        assertThrows(PermanentFailureException.class, () -> SqsWire.messageId(new WireMessage(null, "rh", "b",
                badDedup, Map.of())));
    }

    @Test
    void aMessageWithoutFifoAttributesIsRefusedWithAClearReason() {
        PermanentFailureException e = assertThrows(PermanentFailureException.class,
                () -> SqsWire.toDelivery(new WireMessage("m-1", "rh", "b", Map.of(), Map.of())));
        assertEquals("SQS message m-1 has no MessageGroupId attribute: is the queue a FIFO queue?", e.getMessage());
    }

    @Test
    void missingOptionalPartsHaveSafeDefaults() {
        Delivery d = SqsWire.toDelivery(new WireMessage("m-2", null, null, Map.of(WireMessage.GROUP_ID, "tally/x",
                WireMessage.SEQUENCE_NUMBER, "7", WireMessage.RECEIVE_COUNT, "zero"), null));
        assertEquals("m-2", d.messageId());
        assertEquals(1, d.receiveCount());
        assertEquals(Instant.EPOCH, d.sentAt());
        assertEquals("", d.receiptHandle());
        assertArrayEquals(new byte[0], d.body());
        assertTrue(d.attributes().isEmpty());
    }

    // ------------------------------------------------------------------------------------------------ text

    @Test
    void cutToBytesKeepsWholeCodePointsAndSqsSafeReplacesRefusedOnes() {
        assertEquals("ab", SqsWire.cutToBytes("abc", 2));
        assertEquals("", SqsWire.cutToBytes("\ud83d\ude00", 3));
        assertEquals("\ud83d\ude00", SqsWire.cutToBytes("\ud83d\ude00x", 4));
        assertEquals("", SqsWire.cutToBytes("abc", 0));
        assertEquals("bad\ufffdinput\ufffd", SqsWire.sqsSafe("bad\u0000input\ud800"));
    }
}
