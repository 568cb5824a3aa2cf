package io.fifoactors.core.codec;

import io.fifoactors.core.MessageDecodingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    record Nested(String name, java.util.List<Deposit> deposits, java.util.Map<String, Long> totals,
                  String note) {
    }

    record Empty() {
    }

    static final class NoProperties {
    }

    /** The codec as it first was: a fresh lookup in the mapper on every call (the reference for the cached path). */
    private static final ObjectMapper REFERENCE = JsonMapper.builder()
            .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @Test
    void theCachedWritersWriteTheSameBytesAsTheMapperAndFailTheSameWay() throws Exception {
        Object[] values = {
                new Deposit(42, Instant.parse("2026-01-01T00:00:00Z")),
                new Deposit(-1, null),
                new Nested("caf\u00e9 \"q\" \ud83d\ude00", java.util.List.of(new Deposit(1, Instant.EPOCH)),
                        new java.util.TreeMap<>(java.util.Map.of("a", 1L, "b", -2L)), null),
                new Empty(), java.util.List.of(1, 2), java.util.Map.of("k", "v"), "text", 7L, Instant.EPOCH,
                null};
        for (int round = 0; round < 2; round++) { // the second round uses the cached writers
            for (Object v : values) {
                assertArrayEquals(REFERENCE.writeValueAsBytes(v), codec.encode(v), String.valueOf(v));
            }
        }
        for (int round = 0; round < 2; round++) {
            assertThrows(io.fifoactors.core.MessageEncodingException.class, () -> codec.encode(new NoProperties()));
        }
    }

    @Test
    void theCachedReadersReadAndFailAsTheMapperDoes() {
        String[] inputs = {
                "{\"amount\":42,\"at\":\"2026-01-01T00:00:00Z\"}", "{\"amount\":1}", "{}", "null", "", "  ",
                "{\"amount\":null}", "{\"amount\":1} {}", "{\"amount\":1}]", "[1]", "{\"amount\":\"x\"}",
                "{\"amount\":1,\"at\":\"nope\"}", "{\"amount\":", "\u00ff", "{\"amount\":1,\"extra\":[1,{}]}"};
        for (int round = 0; round < 2; round++) {
            for (String in : inputs) {
                byte[] bytes = in.getBytes(StandardCharsets.UTF_8);
                assertEquals(viaReference(bytes, Deposit.class), viaCodec(bytes, Deposit.class), in);
                assertEquals(viaReference(bytes, Nested.class), viaCodec(bytes, Nested.class), in);
            }
        }
    }

    private static String viaReference(byte[] bytes, Class<?> type) {
        try {
            Object v = REFERENCE.readValue(bytes, type);
            return v == null ? "null" : "ok " + v;
        } catch (Exception e) {
            String where = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
                    && jpe.getLocation() != null
                    ? " at line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr() : "";
            return "error " + e.getClass().getSimpleName() + where;
        }
    }

    private String viaCodec(byte[] bytes, Class<?> type) {
        try {
            return "ok " + codec.decode(bytes, type);
        } catch (MessageDecodingException e) {
            if (e.getMessage().endsWith("the payload is null")) {
                return "null";
            }
            return "error " + e.getMessage().substring(e.getMessage().indexOf(": ") + 2);
        }
    }
}
