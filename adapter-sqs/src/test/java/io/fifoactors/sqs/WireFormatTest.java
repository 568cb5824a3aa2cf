package io.fifoactors.sqs;

import io.fifoactors.core.MessageTooLargeException;
import io.fifoactors.core.PermanentFailureException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.OutgoingMessage;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WireFormatTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static void assertRoundTrip(byte[] body) {
        WireFormat.Body encoded = WireFormat.encodeBody(body);
        assertFalse(encoded.text().isEmpty(), "SQS refuses an empty body");
        assertTrue(WireFormat.isSqsText(encoded.text()), "the sent text must be acceptable to SQS");
        assertArrayEquals(body, WireFormat.decodeBody(encoded.text(), encoded.encoding()));
    }

    // ------------------------------------------------------------------------------------------------ bodies

    @Test
    void textThatSqsAcceptsIsSentAsIs() {
        String text = "{\"note\":\"caf\u00e9 \u20ac \ud83d\ude00\"}\t\r\n\ud7ff\ue000\ufffd\udbff\udfff";
        WireFormat.Body encoded = WireFormat.encodeBody(utf8(text));
        assertEquals(text, encoded.text());
        assertNull(encoded.encoding());
        assertRoundTrip(utf8(text));
    }

    @Test
    void invalidUtf8IsSentAsBase64() {
        byte[][] invalid = {
                bytes(0xC3, 0x28),             // bad continuation
                bytes(0xC0, 0xAF),             // overlong '/'
                bytes(0xED, 0xA0, 0x80),       // an encoded surrogate
                bytes(0xF4, 0x90, 0x80, 0x80), // above U+10FFFF
                bytes(0xE2, 0x82),             // truncated
                bytes(0xFF),
        };
        for (byte[] b : invalid) {
            assertEquals(WireFormat.BASE64, WireFormat.encodeBody(b).encoding(), Arrays.toString(b));
            assertRoundTrip(b);
        }
    }

    @Test
    void validUtf8WithCodePointsSqsRefusesIsSentAsBase64() {
        for (String s : new String[] {"\u0000", "a\u0001b", "\u001f", "\u0008", "\ufffe", "\uffff", "x\u000by"}) {
            assertEquals(WireFormat.BASE64, WireFormat.encodeBody(utf8(s)).encoding(), s.codePointAt(0) + "");
            assertRoundTrip(utf8(s));
        }
    }

    @Test
    void anEmptyBodyIsSentAsAPlaceholderAndComesBackEmpty() {
        WireFormat.Body encoded = WireFormat.encodeBody(new byte[0]);
        assertEquals(WireFormat.EMPTY, encoded.encoding());
        assertArrayEquals(new byte[0], WireFormat.decodeBody(encoded.text(), encoded.encoding()));
    }

    @Test
    void randomBodiesRoundTrip() {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[random.nextInt(64)];
            random.nextBytes(b);
            if (i % 2 == 0) {
                for (int j = 0; j < b.length; j++) {
                    b[j] = (byte) (b[j] & 0x7F); // mostly ASCII: exercises the text path and control characters
                }
            }
            assertRoundTrip(b);
        }
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        assertRoundTrip(all);
    }

    @Test
    void aBodyWhoseEncodingIsBrokenOrUnknownComesBackAsItsText() {
        assertArrayEquals(utf8("not base64!"), WireFormat.decodeBody("not base64!", WireFormat.BASE64));
        assertArrayEquals(utf8("abc"), WireFormat.decodeBody("abc", "gzip"));
    }

    // ------------------------------------------------------------------------------------------------ attributes

    @Test
    void attributeValuesSqsCannotCarryAsStringsTravelAsBinaryAndComeBack() {
        for (String value : new String[] {"", "\u0000", "tab\tok but \u0001 not", "\uffff"}) {
            MessageAttributeValue v = WireFormat.encodeValue("m", "k", value);
            assertEquals(WireFormat.BINARY, v.dataType());
            assertEquals(value, WireFormat.decodeValue(v));
        }
        MessageAttributeValue plain = WireFormat.encodeValue("m", "k", "account/a-1 \ud83d\ude00");
        assertEquals(WireFormat.STRING, plain.dataType());
        assertEquals("account/a-1 \ud83d\ude00", WireFormat.decodeValue(plain));
    }

    @Test
    void anUnpairedSurrogateInAnAttributeValueIsRefused() {
        PermanentFailureException e = assertThrows(PermanentFailureException.class,
                () -> WireFormat.encodeValue("m-1", "k", "a\ud800b"));
        assertTrue(e.getMessage().contains("'k'") && e.getMessage().contains("m-1"), e.getMessage());
    }

    @Test
    void aBinaryAttributeFromAnotherProducerComesBackAsBase64() {
        MessageAttributeValue v = MessageAttributeValue.builder().dataType("Binary")
                .binaryValue(SdkBytes.fromByteArray(bytes(1, 2, 3))).build();
        assertEquals("AQID", WireFormat.decodeValue(v));
        MessageAttributeValue n = MessageAttributeValue.builder().dataType("Number").stringValue("42").build();
        assertEquals("42", WireFormat.decodeValue(n));
    }

    @Test
    void atMostSevenCallerAttributes() {
        Map<String, String> seven = new LinkedHashMap<>();
        for (int i = 0; i < 7; i++) {
            seven.put("a" + i, "v");
        }
        WireFormat.Encoded ok = WireFormat.encode(new OutgoingMessage("g/a", "m-1", seven, utf8("x")));
        assertEquals(8, ok.attributes().size(), "seven and the id");
        Map<String, String> eight = new LinkedHashMap<>(seven);
        eight.put("a7", "v");
        PermanentFailureException e = assertThrows(PermanentFailureException.class,
                () -> WireFormat.encode(new OutgoingMessage("g/a", "m-1", eight, utf8("x"))));
        assertTrue(e.getMessage().contains("at most 7"), e.getMessage());
    }

    @Test
    void attributeNamesSqsRefusesOrTheMailboxKeepsAreRefused() {
        for (String name : new String[] {"fa-sqs-id", "fa-sqs-anything", "AWS.x", "amazon.x", ".x", "x.", "a..b",
                "bad name", "caf\u00e9", "", "x".repeat(257)}) {
            assertThrows(PermanentFailureException.class,
                    () -> WireFormat.encode(new OutgoingMessage("g/a", "m-1", Map.of(name, "v"), utf8("x"))), name);
        }
        WireFormat.encode(new OutgoingMessage("g/a", "m-1", Map.of("fa-type", "v", "a.b_c-D9", "v"), utf8("x")));
    }

    @Test
    void groupAndMessageIdsMustBePrintableAsciiUpTo128() {
        String ok = "a".repeat(128);
        WireFormat.encode(new OutgoingMessage(ok, ok, Map.of(), utf8("x")));
        for (String bad : new String[] {"", "a b", "a".repeat(129), "caf\u00e9", "tab\t"}) {
            assertThrows(PermanentFailureException.class,
                    () -> WireFormat.encode(new OutgoingMessage(bad, "m", Map.of(), utf8("x"))), "group " + bad);
            assertThrows(PermanentFailureException.class,
                    () -> WireFormat.encode(new OutgoingMessage("g", bad, Map.of(), utf8("x"))), "id " + bad);
        }
    }

    @Test
    void theInternalAttributesAreTheIdAndTheEncodingWhenNeeded() {
        WireFormat.Encoded text = WireFormat.encode(new OutgoingMessage("g/a", "m-1", Map.of("k", "v"), utf8("x")));
        assertEquals(Map.of("k", "v", WireFormat.ID, "m-1"), decoded(text.attributes()));
        WireFormat.Encoded binary = WireFormat.encode(new OutgoingMessage("g/a", "m-2", Map.of(), bytes(0xFF)));
        assertEquals(Map.of(WireFormat.ID, "m-2", WireFormat.ENCODING, WireFormat.BASE64),
                decoded(binary.attributes()));
    }

    private static Map<String, String> decoded(Map<String, MessageAttributeValue> attributes) {
        Map<String, String> out = new LinkedHashMap<>();
        attributes.forEach((k, v) -> out.put(k, WireFormat.decodeValue(v)));
        return out;
    }

    // ------------------------------------------------------------------------------------------------ sizes

    @Test
    void sizeCountsBodyAndNameTypeAndValueOfEveryAttribute() {
        WireFormat.Encoded e = WireFormat.encode(new OutgoingMessage("g/a", "m-1", Map.of("k", "\u20ac"), utf8("abc")));
        long expected = 3 + (1 + 6 + 3) + (WireFormat.ID.length() + 6 + 3);
        assertEquals(expected, e.sizeBytes());
    }

    @Test
    void aMessageExactlyAtTheLimitIsAcceptedAndOneByteMoreIsRefused() {
        long attributeBytes = "k".length() + "String".length() + "v".length();
        byte[] body = new byte[(int) (Mailbox.MAX_MESSAGE_BYTES - attributeBytes)];
        Arrays.fill(body, (byte) 'x');
        OutgoingMessage atLimit = new OutgoingMessage("g/a", "m-1", Map.of("k", "v"), body);
        assertEquals(Mailbox.MAX_MESSAGE_BYTES, Mailbox.sizeOf(atLimit));
        WireFormat.Encoded encoded = WireFormat.encode(atLimit);
        assertTrue(encoded.sizeBytes() <= WireFormat.SQS_MAX_MESSAGE_BYTES, "the adapter's own attributes fit the 2 KiB kept");
        byte[] over = Arrays.copyOf(body, body.length + 1);
        over[over.length - 1] = 'x';
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                () -> WireFormat.encode(new OutgoingMessage("g/a", "m-1", Map.of("k", "v"), over)));
        assertTrue(e.getMessage().contains("m-1") && e.getMessage().contains(String.valueOf(Mailbox.MAX_MESSAGE_BYTES + 1)),
                e.getMessage());
        assertFalse(e.getMessage().contains("xxxx"), "no body in messages");
    }

    @Test
    void theLimitAppliesToThePortableSizeAndToTheBase64Body() {
        byte[] big = new byte[(int) Mailbox.MAX_MESSAGE_BYTES + 1];
        assertThrows(MessageTooLargeException.class,
                () -> WireFormat.encode(new OutgoingMessage("g/a", "m-1", Map.of(), big)));
        byte[] binary = new byte[200_000];
        binary[0] = (byte) 0xFF; // not UTF-8: Base64 makes it about 266,668 bytes
        assertTrue(Mailbox.sizeOf(new OutgoingMessage("g/a", "m-1", Map.of(), binary)) < Mailbox.MAX_MESSAGE_BYTES);
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                () -> WireFormat.encode(new OutgoingMessage("g/a", "m-1", Map.of(), binary)));
        assertTrue(e.getMessage().contains("266"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------------ dead letters

    @Test
    void aDeadLetterCarriesItsReasonCleanedAndAnEmptyReasonIsNotSent() {
        DeadLetter letter = new DeadLetter("g/a", "m-1", Map.of("fa-type", "T"), utf8("{}"), "bad\u0000input");
        WireFormat.Encoded e = WireFormat.encodeDeadLetter(letter);
        assertEquals("bad\ufffdinput", WireFormat.decodeValue(e.attributes().get(WireFormat.REASON)));
        WireFormat.Encoded none = WireFormat.encodeDeadLetter(new DeadLetter("g/a", "m-1", Map.of(), utf8("{}"), ""));
        assertFalse(none.attributes().containsKey(WireFormat.REASON));
    }

    @Test
    void aDeadLetterReasonIsCutSoThatTheMessageFits() {
        long idAttribute = WireFormat.ID.length() + 6 + "m-1".length();
        long reasonOverhead = WireFormat.REASON.length() + 6;
        int room = 10;
        byte[] body = new byte[(int) (Mailbox.MAX_MESSAGE_BYTES - idAttribute - reasonOverhead - room)];
        Arrays.fill(body, (byte) 'x');
        String reason = "\u20ac".repeat(20); // 3 bytes each: only 3 whole characters fit in 10 bytes
        WireFormat.Encoded e = WireFormat.encodeDeadLetter(new DeadLetter("g/a", "m-1", Map.of(), body, reason));
        assertEquals("\u20ac\u20ac\u20ac", WireFormat.decodeValue(e.attributes().get(WireFormat.REASON)));
        assertTrue(e.sizeBytes() <= Mailbox.MAX_MESSAGE_BYTES);
    }

    @Test
    void cutToBytesKeepsWholeCodePoints() {
        assertEquals("ab", WireFormat.cutToBytes("abc", 2));
        assertEquals("", WireFormat.cutToBytes("\ud83d\ude00", 3));
        assertEquals("\ud83d\ude00", WireFormat.cutToBytes("\ud83d\ude00x", 4));
        assertEquals("", WireFormat.cutToBytes("abc", 0));
    }

    // ------------------------------------------------------------------------------------------------ incoming

    private static Message received(Map<String, MessageAttributeValue> attributes, String body,
                                    Map<MessageSystemAttributeName, String> system) {
        return Message.builder().messageId("sqs-id").receiptHandle("rh").body(body).messageAttributes(attributes)
                .attributes(system).build();
    }

    private static Map<MessageSystemAttributeName, String> system(String group, String dedup) {
        Map<MessageSystemAttributeName, String> s = new LinkedHashMap<>();
        s.put(MessageSystemAttributeName.MESSAGE_GROUP_ID, group);
        s.put(MessageSystemAttributeName.SEQUENCE_NUMBER, "18446744073709551617");
        s.put(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "3");
        s.put(MessageSystemAttributeName.SENT_TIMESTAMP, "1700000000123");
        if (dedup != null) {
            s.put(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID, dedup);
        }
        return s;
    }

    @Test
    void aReceivedMessageBecomesADeliveryWithoutTheInternalAttributes() {
        WireFormat.Encoded sent = WireFormat.encode(new OutgoingMessage("g/a", "m-1", Map.of("fa-type", "T", "e", ""),
                bytes(0xFF, 0x00)));
        Delivery d = WireFormat.toDelivery(received(sent.attributes(), sent.body(), system("g/a", "m-1")));
        assertEquals("m-1", d.messageId());
        assertEquals("g/a", d.groupId());
        assertEquals("18446744073709551617", d.sequenceNumber());
        assertEquals(3, d.receiveCount());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), d.sentAt());
        assertEquals(Map.of("fa-type", "T", "e", ""), d.attributes());
        assertArrayEquals(bytes(0xFF, 0x00), d.body());
        assertEquals("rh", d.receiptHandle());
    }

    @Test
    void withoutTheIdAttributeTheDeduplicationIdIsTheMessageId() {
        Delivery d = WireFormat.toDelivery(received(Map.of(), "hello", system("g/a", "dedup-9")));
        assertEquals("dedup-9", d.messageId());
        assertArrayEquals(utf8("hello"), d.body());
    }

    @Test
    void aMessageWithoutGroupIdIsRefusedAsNotFromAFifoQueue() {
        Message m = Message.builder().messageId("x").receiptHandle("rh").body("b").build();
        assertThrows(PermanentFailureException.class, () -> WireFormat.toDelivery(m));
    }

    @Test
    void aDeadLetterIsReadBackWithItsReasonOrWithAnEmptyOneAfterARedrive() {
        WireFormat.Encoded copy = WireFormat.encodeDeadLetter(
                new DeadLetter("g/a", "m-1", Map.of("fa-type", "T"), utf8("{}"), "why"));
        DeadLetter back = WireFormat.toDeadLetter(received(copy.attributes(), copy.body(), system("g/a", "m-1")));
        assertEquals(new DeadLetter("g/a", "m-1", Map.of("fa-type", "T"), back.body(), "why"), back);
        assertArrayEquals(utf8("{}"), back.body());

        WireFormat.Encoded original = WireFormat.encode(new OutgoingMessage("g/a", "m-2", Map.of(), utf8("p")));
        // ElasticMQ gives a redriven message a new deduplication id; the id attribute keeps the message id.
        DeadLetter moved = WireFormat.toDeadLetter(received(original.attributes(), original.body(),
                system("g/a", "server-assigned")));
        assertEquals("m-2", moved.messageId());
        assertEquals("", moved.reason());
    }
}
