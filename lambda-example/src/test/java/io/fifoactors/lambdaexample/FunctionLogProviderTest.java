package io.fifoactors.lambdaexample;

import com.fasterxml.jackson.databind.JsonNode;
import io.fifoactors.lambda.LambdaSettings;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.SLF4JServiceProvider;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The function's SLF4J provider: found by SLF4J, and library warnings become JSON lines without payloads. */
class FunctionLogProviderTest {
    @Test
    void slf4jBindsTheFunctionsProvider() {
        List<String> providers = new ArrayList<>();
        ServiceLoader.load(SLF4JServiceProvider.class).forEach(p -> providers.add(p.getClass().getName()));
        assertEquals(List.of(FunctionLogProvider.class.getName()), providers);
        assertEquals(FunctionLogger.class, LoggerFactory.getLogger("software.amazon.awssdk.test").getClass());
    }

    @Test
    void warningsAndErrorsBecomeJsonLinesAndLowerLevelsAreDropped() throws IOException {
        List<String> lines = new ArrayList<>();
        FunctionLogProvider provider = new FunctionLogProvider(lines::add, Map.of());
        provider.initialize();
        Logger log = provider.getLoggerFactory().getLogger("software.amazon.awssdk.retries");
        log.debug("request body {}", "secret");
        log.info("retrying {}", "secret");
        log.warn("clock skew of {} s, \"adjusting\"\nnext line", 301, new IllegalStateException("a payload"));
        log.error("gave up");

        assertEquals(2, lines.size(), lines.toString());
        JsonNode warn = EsmEvents.JSON.readTree(lines.get(0));
        assertEquals("WARN", warn.get("level").asText());
        assertEquals("library", warn.get("message").asText());
        assertEquals("software.amazon.awssdk.retries", warn.get("logger").asText());
        assertEquals("clock skew of 301 s, \"adjusting\"\nnext line", warn.get("detail").asText());
        assertEquals(IllegalStateException.class.getName(), warn.get("error").asText());
        assertTrue(warn.has("timestamp"));
        assertFalse(lines.get(0).contains("a payload"), "an exception's message is not logged");
        assertEquals("ERROR", EsmEvents.JSON.readTree(lines.get(1)).get("level").asText());
        assertFalse(String.join("\n", lines).contains("secret"));
    }

    @Test
    void errorsOnlyWhenTheFunctionLogsErrorsOnly() {
        List<String> lines = new ArrayList<>();
        FunctionLogProvider provider = new FunctionLogProvider(lines::add, Map.of(LambdaSettings.LOG_LEVEL, "ERROR"));
        provider.initialize();
        Logger log = provider.getLoggerFactory().getLogger("x");
        log.warn("dropped");
        log.error("kept");
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("\"detail\":\"kept\""));
    }
}
