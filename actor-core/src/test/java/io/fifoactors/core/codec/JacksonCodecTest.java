package io.fifoactors.core.codec;

import io.fifoactors.core.MessageDecodingException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JacksonCodecTest {
    record Deposit(long amount, Instant at) {
    }

    private final Codec codec = JacksonCodec.create();

    @Test
    void recordsAndTimesRoundTrip() {
        Deposit d = new Deposit(42, Instant.parse("2026-01-01T00:00:00Z"));
        assertEquals(d, codec.decode(codec.encode(d), Deposit.class));
        assertEquals("{\"amount\":42,\"at\":\"2026-01-01T00:00:00Z\"}",
                new String(codec.encode(d), StandardCharsets.UTF_8));
    }

    @Test
    void unknownPropertiesAreIgnoredSoAddingAFieldIsCompatible() {
        byte[] newer = "{\"amount\":5,\"at\":null,\"currency\":\"EUR\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(5, codec.decode(newer, Deposit.class).amount());
    }

    @Test
    void decodingErrorsNameTheTypeButNeverQuoteThePayload() {
        String secret = "{\"amount\":\"SECRET-ACCOUNT-9931\"";
        MessageDecodingException e = assertThrows(MessageDecodingException.class,
                () -> codec.decode(secret.getBytes(StandardCharsets.UTF_8), Deposit.class));
        assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
        assertEquals(null, e.getCause());
        MessageDecodingException nul = assertThrows(MessageDecodingException.class,
                () -> codec.decode("null".getBytes(StandardCharsets.UTF_8), Deposit.class));
        assertFalse(nul.isRetryable());
    }
}
