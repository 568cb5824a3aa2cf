package io.fifoactors.core.runtime;

import io.fifoactors.core.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageKeysTest {
    private static final byte[] DATA = "group\u0000id\u0000type".getBytes(StandardCharsets.UTF_8);
    private static final String OLD = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String NEW = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(
            StandardCharsets.US_ASCII));
    /** What Secrets Manager's GenerateSecretString makes with PasswordLength 44 and ExcludePunctuation. */
    private static final String GENERATED = "Zq7KfT2mXbW9pLrC4sNvY8hJd3GaE6uQo1ViRt5yMwHk";

    @Test
    void namedKeysSignWithTheCurrentAndAcceptThePrevious() {
        MessageKeys old = MessageKeys.parse("k1:" + OLD);
        MessageKeys rotating = MessageKeys.parse("k2:" + NEW + ",k1:" + OLD);
        assertEquals("k2", rotating.currentKeyId());
        assertEquals(List.of("k2", "k1"), rotating.keyIds());
        assertEquals(Optional.of("k1"), rotating.previousKeyId());
        assertEquals(MessageKeys.Verification.VALID, rotating.verify(DATA, old.sign(DATA)));
        assertEquals(MessageKeys.Verification.UNKNOWN_KEY, old.verify(DATA, rotating.sign(DATA)));
        String forged = old.sign(DATA);
        assertEquals(MessageKeys.Verification.MISMATCH, old.verify("other".getBytes(StandardCharsets.UTF_8), forged));
        assertEquals(MessageKeys.Verification.MALFORMED, old.verify(DATA, "no-colon"));
    }

    @Test
    void aKeyWithoutAnIdGetsOneFromItsSecretTheSameForEveryParty() {
        assertEquals(44, GENERATED.length());
        MessageKeys a = MessageKeys.parse(GENERATED);
        MessageKeys b = MessageKeys.parse(" " + GENERATED + " ");
        assertEquals(a.currentKeyId(), b.currentKeyId());
        assertTrue(a.currentKeyId().matches("h[0-9a-f]{8}"), a.currentKeyId());
        assertEquals(MessageKeys.derivedId(Base64.getDecoder().decode(GENERATED)), a.currentKeyId());
        assertEquals(MessageKeys.Verification.VALID, b.verify(DATA, a.sign(DATA)));

        MessageKeys rotating = MessageKeys.parse(NEW + "," + GENERATED);
        assertEquals(List.of(MessageKeys.derivedId(Base64.getDecoder().decode(NEW)), a.currentKeyId()),
                rotating.keyIds());
        assertEquals(MessageKeys.Verification.VALID, rotating.verify(DATA, a.sign(DATA)));
    }

    @Test
    void badSpecsAreRefusedWithoutShowingASecret() {
        for (String spec : new String[]{"", "  ", ":" + OLD, "k1:not base64!", "not base64!",
                "k1:" + OLD + ",k2:" + NEW + ",k3:" + OLD, "k1:" + Base64.getEncoder().encodeToString(new byte[16]),
                "k1:" + OLD + ",k1:" + NEW, "bad id:" + OLD}) {
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> MessageKeys.parse(spec), spec);
            assertFalse(e.getMessage().contains(OLD) || e.getMessage().contains(NEW), e.getMessage());
        }
        assertFalse(MessageKeys.parse("k1:" + OLD).toString().contains(OLD));
    }
}
