package io.fifoactors.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class JsonLineTest {
    @Test
    void writesValidJsonForAwkwardStrings() throws Exception {
        String awkward = "quote\" backslash\\ newline\n tab\t nul\u0000 line-sep\u2028 snow\u2603 pair\uD83D\uDE00"
                + " lone\uD83D end";
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("n", 1.5);
        nested.put("list", List.of(1, "two", true));
        String line = new JsonLine().field("s", awkward).field("skipped", null).field("nested", nested)
                .field("nan", Double.NaN).end();
        assertFalse(line.contains("\n"));
        JsonNode n = Harness.JSON.readTree(line);
        assertEquals(awkward.replace("\uD83D end", "\uFFFD end").length(), n.get("s").asText().length());
        assertEquals(awkward.substring(0, awkward.indexOf(" lone")), n.get("s").asText().substring(0,
                awkward.indexOf(" lone")));
        assertFalse(n.has("skipped"));
        assertEquals(1.5, n.get("nested").get("n").asDouble());
        assertEquals("two", n.get("nested").get("list").get(1).asText());
        assertEquals(true, n.get("nan").isNull());
    }
}
