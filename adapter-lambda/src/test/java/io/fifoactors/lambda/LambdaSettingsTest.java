package io.fifoactors.lambda;

import io.fifoactors.core.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LambdaSettingsTest {
    @Test
    void defaults() {
        LambdaSettings s = LambdaSettings.from(Map.of());
        assertEquals(5, s.maxAttempts());
        assertEquals(OptionalInt.empty(), s.redriveMaxReceiveCount());
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
                LambdaSettings.MAX_ATTEMPTS, "4", LambdaSettings.REDRIVE_MAX_RECEIVE_COUNT, " 12 ",
                LambdaSettings.GROUP_CONCURRENCY, "3", LambdaSettings.START_RESERVE_MS, "5000",
                LambdaSettings.RESPONSE_RESERVE_MS, "1000", LambdaSettings.LOG_LEVEL, "debug",
                LambdaSettings.LOG_PAYLOADS, "TRUE", LambdaSettings.METRICS_NAMESPACE, "Ledger/Prod",
                LambdaSettings.FUNCTION_NAME, "ledger"));
        assertEquals("com.example.Wiring", s.wiringClass().orElseThrow());
        assertEquals(4, s.maxAttempts());
        assertEquals(OptionalInt.of(12), s.redriveMaxReceiveCount());
        assertEquals(3, s.groupConcurrency());
        assertEquals(Duration.ofSeconds(5), s.startReserve());
        assertEquals(Duration.ofSeconds(1), s.responseReserve());
        assertEquals(LambdaSettings.Level.DEBUG, s.logLevel());
        assertTrue(s.logPayloads());
        assertEquals("Ledger/Prod", s.metricsNamespace());
        assertEquals("ledger", s.functionName());
    }

    @Test
    void redriveIsTheQueuesUnlessSetToRuntimeWhichNeedsItsReceiveCount() {
        assertFalse(LambdaSettings.from(Map.of()).runtimeRedrive());
        assertFalse(LambdaSettings.from(Map.of(LambdaSettings.REDRIVE, "queue")).runtimeRedrive());
        LambdaSettings runtime = LambdaSettings.from(Map.of(LambdaSettings.REDRIVE, " Runtime ",
                LambdaSettings.REDRIVE_MAX_RECEIVE_COUNT, "15"));
        assertTrue(runtime.runtimeRedrive());
        assertEquals(OptionalInt.of(15), runtime.redriveMaxReceiveCount());
        assertEquals("runtime", runtime.describe().get("redrive"));
        ConfigurationException missing = assertThrows(ConfigurationException.class,
                () -> LambdaSettings.from(Map.of(LambdaSettings.REDRIVE, "runtime")));
        assertTrue(missing.getMessage().contains("FA_REDRIVE=runtime needs FA_REDRIVE_MAX_RECEIVE_COUNT"),
                missing.getMessage());
        ConfigurationException bogus = assertThrows(ConfigurationException.class,
                () -> LambdaSettings.from(Map.of(LambdaSettings.REDRIVE, "sqs")));
        assertTrue(bogus.getMessage().contains("FA_REDRIVE must be queue or runtime"), bogus.getMessage());
    }

    @Test
    void theRecordCacheIsOffUnlessSized() {
        assertEquals(0, LambdaSettings.from(Map.of()).recordCache());
        assertEquals(5000, LambdaSettings.from(Map.of(LambdaSettings.RECORD_CACHE, "5000")).recordCache());
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> LambdaSettings.from(Map.of(LambdaSettings.RECORD_CACHE, "-1")));
        assertTrue(e.getMessage().contains("FA_RECORD_CACHE"), e.getMessage());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> LambdaSettings.from(Map.of(
                LambdaSettings.MAX_ATTEMPTS, "0", LambdaSettings.REDRIVE_MAX_RECEIVE_COUNT, "many",
                LambdaSettings.GROUP_CONCURRENCY, "11", LambdaSettings.LOG_LEVEL, "loud",
                LambdaSettings.LOG_PAYLOADS, "yes", LambdaSettings.METRICS_NAMESPACE, "AWS/Lambda",
                LambdaSettings.WIRING, "not a class")));
        String m = e.getMessage();
        for (String name : new String[] {"FA_MAX_ATTEMPTS must be 1 to 1000, was 0", "FA_REDRIVE_MAX_RECEIVE_COUNT",
                "FA_GROUP_CONCURRENCY must be 1 to 10", "FA_LOG_LEVEL", "FA_LOG_PAYLOADS", "FA_METRICS_NAMESPACE",
                "FA_WIRING"}) {
            assertTrue(m.contains(name), name + " missing from: " + m);
        }
    }

    @Test
    void theResponseReserveMayNotExceedTheStartReserve() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> LambdaSettings.from(Map.of(
                LambdaSettings.START_RESERVE_MS, "100", LambdaSettings.RESPONSE_RESERVE_MS, "200")));
        assertTrue(e.getMessage().contains("must not exceed"), e.getMessage());
    }

    @Test
    void requireAllNamesEveryMissingVariable() {
        LambdaSettings s = LambdaSettings.from(Map.of(LambdaSettings.QUEUE_URL, "https://q.fifo",
                LambdaSettings.TABLE_NAME, "  ", LambdaSettings.WIRING, "com.example.Wiring"));
        assertEquals("https://q.fifo", s.require(LambdaSettings.QUEUE_URL));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> s.requireAll(
                LambdaSettings.QUEUE_URL, LambdaSettings.DEAD_LETTER_QUEUE_URL, LambdaSettings.TABLE_NAME));
        assertEquals("the function's environment lacks FA_DEAD_LETTER_QUEUE_URL, FA_TABLE_NAME (required by"
                + " com.example.Wiring)", e.getMessage());
    }

    @Test
    void theHandlerVariablesAreListed() {
        assertEquals(11, LambdaSettings.HANDLER_VARIABLES.size());
        assertTrue(LambdaSettings.HANDLER_VARIABLES.stream().allMatch(v -> v.startsWith("FA_")));
    }
}
