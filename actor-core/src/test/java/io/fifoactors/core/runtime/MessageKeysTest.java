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
    void aTagIsTheKeyIdAndTheFirst16BytesOfTheHmacInUnpaddedBase64UrlOnEveryThread() throws Exception {
        byte[] secret = Base64.getDecoder().decode(NEW);
        MessageKeys keys = MessageKeys.of("k2", secret).withPrevious("k1", Base64.getDecoder().decode(OLD));
        javax.crypto.Mac reference = javax.crypto.Mac.getInstance("HmacSHA256");
        reference.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
        java.util.Random random = new java.util.Random(7);
        for (int n = 0; n < 200; n++) {
            byte[] data = new byte[random.nextInt(300)];
            random.nextBytes(data);
            String expected = "k2:" + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(java.util.Arrays.copyOf(reference.doFinal(data), 16));
            assertEquals(expected, keys.sign(data));
            assertEquals(MessageKeys.Verification.VALID, keys.verify(data, expected));
            String flipped = expected.substring(0, expected.length() - 1)
                    + (expected.endsWith("A") ? "B" : "A");
            assertEquals(MessageKeys.Verification.MISMATCH, keys.verify(data, flipped));
            assertEquals(MessageKeys.Verification.MISMATCH, keys.verify(data, expected + "A"));
            assertEquals(MessageKeys.Verification.MISMATCH, keys.verify(data, expected.substring(0, 20)));
        }
        // each thread tags with its own Mac: concurrent tags are all correct
        byte[] data = DATA;
        String expected = keys.sign(data);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> all = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                all.add(pool.submit(() -> {
                    for (int k = 0; k < 2_000; k++) {
                        if (!keys.sign(data).equals(expected)
                                || keys.verify(data, expected) != MessageKeys.Verification.VALID) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (java.util.concurrent.Future<Boolean> f : all) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(MessageKeys.Verification.UNKNOWN_KEY, keys.verify(data, "k:" + expected.substring(3)));
        assertEquals(MessageKeys.Verification.UNKNOWN_KEY, keys.verify(data, "k22:" + expected.substring(3)));
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
