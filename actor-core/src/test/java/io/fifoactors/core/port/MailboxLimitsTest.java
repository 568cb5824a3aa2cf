package io.fifoactors.core.port;

import io.fifoactors.core.MessageTooLargeException;
import io.fifoactors.core.PermanentFailureException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MailboxLimitsTest {
    private static OutgoingMessage msg(String group, String id, Map<String, String> attributes, byte[] body) {
        return new OutgoingMessage(group, id, attributes, body);
    }

    @Test
    void idsArePrintableAsciiWithoutSpaceUpTo128() {
        assertTrue(MailboxLimits.isValidId("a".repeat(128)));
        assertTrue(MailboxLimits.isValidId("account/a-1!~"));
        for (String bad : new String[] {"", "a b", "a".repeat(129), "caf\u00e9", "tab\t", null}) {
            assertFalse(MailboxLimits.isValidId(bad), String.valueOf(bad));
        }
        assertThrows(PermanentFailureException.class, () -> MailboxLimits.check(msg("g a", "m", Map.of(), new byte[1])));
        assertThrows(PermanentFailureException.class, () -> MailboxLimits.check(msg("g", "m 1", Map.of(), new byte[1])));
    }

    @Test
    void attributeNamesFollowSqsAndKeepTheAdapterPrefix() {
        for (String bad : new String[] {"AWS.x", "aws.x", "Amazon.y", "AMAZON.y", ".x", "x.", "a..b", "bad name",
                "caf\u00e9", "", "x".repeat(257), "fa-sqs-id", "fa-sqs-anything"}) {
            assertFalse(MailboxLimits.isValidAttributeName(bad), bad);
            assertThrows(PermanentFailureException.class,
                    () -> MailboxLimits.check(msg("g", "m", Map.of(bad, "v"), new byte[1])), bad);
        }
        for (String ok : new String[] {"fa-type", "a.b_c-D9", "x".repeat(256), "awsx", "AWS-x", "fa-sqsid"}) {
            assertTrue(MailboxLimits.isValidAttributeName(ok), ok);
        }
    }

    @Test
    void valuesMustHaveAUtf8FormAndTheCountIsBounded() {
        PermanentFailureException e = assertThrows(PermanentFailureException.class,
                () -> MailboxLimits.check(msg("g", "m-1", Map.of("k", "a\ud800b"), new byte[1])));
        assertFalse(e.getMessage().contains("a\ud800b"), "no value in messages");
        MailboxLimits.check(msg("g", "m-1", Map.of("k", "", "e", "\u0000\uffff"), new byte[1]));
        Map<String, String> eight = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            eight.put("a" + i, "v");
        }
        assertThrows(PermanentFailureException.class, () -> MailboxLimits.check(msg("g", "m", eight, new byte[1])));
    }

    @Test
    void aBodyThatIsNotSqsTextCountsAsItsBase64Form() {
        assertEquals(3, MailboxLimits.bodySize("abc".getBytes(StandardCharsets.UTF_8)));
        assertEquals(0, MailboxLimits.bodySize(new byte[0]));
        assertEquals(4, MailboxLimits.bodySize(new byte[] {(byte) 0xFF}));
        assertEquals(8, MailboxLimits.bodySize("ab\u0000d".getBytes(StandardCharsets.UTF_8)));
        assertEquals(8, MailboxLimits.bodySize("\uffff\uffff".getBytes(StandardCharsets.UTF_8)));
        assertNull(MailboxLimits.sqsTextOrNull(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
        assertEquals("\ud83d\ude00", MailboxLimits.sqsTextOrNull("\ud83d\ude00".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theByteScanAgreesWithDecodingOnEdgeCasesAndRandomBytes() {
        byte[][] edges = {
                {}, {0x09, 0x0A, 0x0D}, {0x1F}, {0x7F}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xC2, (byte) 0x80},
                {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, {(byte) 0xED, (byte) 0x9F, (byte) 0xBF},
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD},
                {(byte) 0xEF, (byte) 0xBF, (byte) 0xBE}, {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF},
                {(byte) 0xF0, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80},
                {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80}, {'a', (byte) 0xC3}};
        for (byte[] b : edges) {
            assertEquals(MailboxLimits.sqsTextOrNull(b) != null, MailboxLimits.isSqsText(b), Arrays.toString(b));
        }
        java.util.Random random = new java.util.Random(11);
        byte[] pool = {'a', 'Z', ' ', 0x09, 0x00, 0x7F, (byte) 0xC3, (byte) 0xA9, (byte) 0xE2, (byte) 0x82, (byte) 0xAC,
                (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80, (byte) 0xED, (byte) 0xBF, (byte) 0xFF, (byte) 0x80};
        for (int t = 0; t < 20_000; t++) {
            byte[] b = new byte[random.nextInt(9)];
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : pool[random.nextInt(pool.length)];
            }
            assertEquals(MailboxLimits.sqsTextOrNull(b) != null, MailboxLimits.isSqsText(b), Arrays.toString(b));
        }
    }

    @Test
    void aTextBodyAtTheLimitWithOneCharacterSqsRefusesIsTooLarge() {
        byte[] body = new byte[(int) Mailbox.MAX_MESSAGE_BYTES];
        Arrays.fill(body, (byte) 'x');
        MailboxLimits.check(msg("g", "m", Map.of(), body));
        body[10] = 0x01; // valid UTF-8, but SQS refuses U+0001: the body travels as Base64
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                () -> MailboxLimits.check(msg("g", "m", Map.of(), body)));
        assertTrue(e.getMessage().contains("346796"), e.getMessage());
    }

    @Test
    void durationsAreWholeSecondsRoundedUpWithinTheRange() {
        assertEquals(1, MailboxLimits.wholeSeconds("v", Duration.ofMillis(500), 0, 43_200));
        assertEquals(0, MailboxLimits.wholeSeconds("v", Duration.ZERO, 0, 43_200));
        assertEquals(43_200, MailboxLimits.wholeSeconds("v", Duration.ofHours(12), 0, 43_200));
        assertThrows(IllegalArgumentException.class,
                () -> MailboxLimits.wholeSeconds("v", Duration.ofHours(12).plusMillis(1), 0, 43_200));
        assertThrows(IllegalArgumentException.class, () -> MailboxLimits.wholeSeconds("v", Duration.ofMillis(-1), 0, 9));
        assertThrows(IllegalArgumentException.class, () -> MailboxLimits.wholeSeconds("v", Duration.ZERO, 1, 9));
        assertThrows(IllegalArgumentException.class, () -> MailboxLimits.wholeSeconds("v", null, 0, 9));
    }

    @Test
    void utf8LengthIsTheLengthOfTheUtf8EncodingForEveryKindOfCharacterAndUnpairedSurrogates() {
        java.util.Random random = new java.util.Random(11);
        char[] pool = {'a', '~', '\u007f', '\u0080', '\u00e9', '\u07ff', '\u0800', '\u20ac', '\uffff', '\ud834',
                '\udd1e', '\udbff', '\udc00'};
        for (int n = 0; n < 5_000; n++) {
            char[] chars = new char[random.nextInt(12)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = pool[random.nextInt(pool.length)];
            }
            String s = new String(chars);
            org.junit.jupiter.api.Assertions.assertEquals(
                    s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, MailboxLimits.utf8Length(s), s);
        }
    }
}
