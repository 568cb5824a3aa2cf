package io.fifoactors.lambda;

import io.fifoactors.core.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LambdaSettingsTest {
    static final String KEYS = Harness.KEYS;

    @Test
    void defaults() {
        LambdaSettings s = LambdaSettings.from(Map.of(LambdaSettings.MESSAGE_KEYS, KEYS));
        assertEquals(5, s.maxAttempts());
        assertEquals("test", s.messageKeys().orElseThrow().currentKeyId());
        assertEquals(10, s.groupConcurrency());
        assertEquals(Duration.ofMillis(3000), s.startReserve());
        assertEquals(Duration.ofMillis(500), s.responseReserve());
        assertEquals(LambdaSettings.Level.INFO, s.logLevel());
        assertFalse(s.logPayloads());
        assertEquals("FifoActors", s.metricsNamespace());
        assertTrue(s.wiringClass().isEmpty());
        assertEquals("unknown", s.functionName());
    }

    @Test
    void readsEveryVariable() {
        LambdaSettings s = LambdaSettings.from(Map.of(LambdaSettings.WIRING, "com.example.Wiring",
                LambdaSettings.MAX_ATTEMPTS, "4", LambdaSettings.MESSAGE_KEYS, " " + KEYS + " ",
                LambdaSettings.GROUP_CONCURRENCY, "3", LambdaSettings.START_RESERVE_MS, "5000",
                LambdaSettings.RESPONSE_RESERVE_MS, "1000", LambdaSettings.LOG_LEVEL, "debug",
                LambdaSettings.LOG_PAYLOADS, "TRUE", LambdaSettings.METRICS_NAMESPACE, "Ledger/Prod",
                LambdaSettings.FUNCTION_NAME, "ledger"));
        assertEquals("com.example.Wiring", s.wiringClass().orElseThrow());
        assertEquals(4, s.maxAttempts());
        assertEquals(3, s.groupConcurrency());
        assertEquals(Duration.ofSeconds(5), s.startReserve());
        assertEquals(Duration.ofSeconds(1), s.responseReserve());
        assertEquals(LambdaSettings.Level.DEBUG, s.logLevel());
        assertTrue(s.logPayloads());
        assertEquals("Ledger/Prod", s.metricsNamespace());
        assertEquals("ledger", s.functionName());
    }

    @Test
    void messageKeysAreOptionalHereAndTheirErrorsNameNoSecret() {
        // the wiring may set them instead (read from Secrets Manager at init), and the timer function needs none
        LambdaSettings none = LambdaSettings.from(Map.of());
        assertTrue(none.messageKeys().isEmpty());
        assertEquals(null, none.describe().get("messageKeys"));
        String secret = java.util.Base64.getEncoder().encodeToString(new byte[8]);
        ConfigurationException shortKey = assertThrows(ConfigurationException.class,
                () -> LambdaSettings.from(Map.of(LambdaSettings.MESSAGE_KEYS, "k1:" + secret)));
        assertTrue(shortKey.getMessage().contains("at least 32 are required"), shortKey.getMessage());
        assertFalse(shortKey.getMessage().contains(secret), "the message shows no secret");
        LambdaSettings rotated = LambdaSettings.from(Map.of(LambdaSettings.MESSAGE_KEYS,
                KEYS + ",old:" + java.util.Base64.getEncoder().encodeToString(new byte[40])));
        assertEquals("old", rotated.messageKeys().orElseThrow().previousKeyId().orElseThrow());
        assertFalse(rotated.describe().toString().contains(KEYS.substring(5)), "describe() shows key ids only");
    }

    @Test
    void aGeneratedSecretStringIsAKeyWithADerivedId() {
        // what Secrets Manager's GenerateSecretString makes with PasswordLength 44 and ExcludePunctuation
        String generated = "Q7fK2mZp9XwR4tLb8NcV1yHs6JdG3uEa5ViO0rTqWnMk";
        assertEquals(44, generated.length());
        LambdaSettings s = LambdaSettings.from(Map.of(LambdaSettings.MESSAGE_KEYS, generated));
        String id = s.messageKeys().orElseThrow().currentKeyId();
        assertTrue(id.matches("h[0-9a-f]{8}"), id);
        assertFalse(s.toString().contains(generated), "toString() shows the key's id only");
    }

    @Test
    void theRecordCacheIsOffUnlessSized() {
        assertEquals(0, LambdaSettings.from(Map.of(LambdaSettings.MESSAGE_KEYS, KEYS)).recordCache());
        assertEquals(5000, LambdaSettings.from(Map.of(LambdaSettings.RECORD_CACHE, "5000", LambdaSettings.MESSAGE_KEYS,
                KEYS)).recordCache());
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> LambdaSettings.from(Map.of(LambdaSettings.RECORD_CACHE, "-1", LambdaSettings.MESSAGE_KEYS, KEYS)));
        assertTrue(e.getMessage().contains("FA_RECORD_CACHE"), e.getMessage());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> LambdaSettings.from(Map.of(
                LambdaSettings.MAX_ATTEMPTS, "0", LambdaSettings.MESSAGE_KEYS, "nonsense",
                LambdaSettings.GROUP_CONCURRENCY, "11", LambdaSettings.LOG_LEVEL, "loud",
                LambdaSettings.LOG_PAYLOADS, "yes", LambdaSettings.METRICS_NAMESPACE, "AWS/Lambda",
                LambdaSettings.WIRING, "not a class")));
        String m = e.getMessage();
        for (String name : new String[] {"FA_MAX_ATTEMPTS must be 1 to 100, was 0", "FA_MESSAGE_KEYS",
                "FA_GROUP_CONCURRENCY must be 1 to 10", "FA_LOG_LEVEL", "FA_LOG_PAYLOADS", "FA_METRICS_NAMESPACE",
                "FA_WIRING"}) {
            assertTrue(m.contains(name), name + " missing from: " + m);
        }
    }

    @Test
    void theResponseReserveMayNotExceedTheStartReserve() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> LambdaSettings.from(Map.of(
                LambdaSettings.START_RESERVE_MS, "100", LambdaSettings.RESPONSE_RESERVE_MS, "200",
                LambdaSettings.MESSAGE_KEYS, KEYS)));
        assertTrue(e.getMessage().contains("must not exceed"), e.getMessage());
    }

    @Test
    void requireAllNamesEveryMissingVariable() {
        LambdaSettings s = LambdaSettings.from(Map.of(LambdaSettings.QUEUE_URL, "https://q.fifo",
                LambdaSettings.TABLE_NAME, "  ", LambdaSettings.WIRING, "com.example.Wiring",
                LambdaSettings.MESSAGE_KEYS, KEYS));
        assertEquals("https://q.fifo", s.require(LambdaSettings.QUEUE_URL));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> s.requireAll(
                LambdaSettings.QUEUE_URL, LambdaSettings.DEAD_LETTER_QUEUE_URL, LambdaSettings.TABLE_NAME));
        assertEquals("the function's environment lacks FA_DEAD_LETTER_QUEUE_URL, FA_TABLE_NAME (required by"
                + " com.example.Wiring)", e.getMessage());
    }

    @Test
    void theHandlerVariablesAreListed() {
        assertEquals(10, LambdaSettings.HANDLER_VARIABLES.size());
        assertTrue(LambdaSettings.HANDLER_VARIABLES.stream().allMatch(v -> v.startsWith("FA_")));
    }
}
