package io.fifoactors.examples.demo;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioReportTest {
    @Test
    void aCheckRendersPassOrFailWithItsDetail() {
        assertEquals("PASS  it holds  (3 of 3)", Check.of("it holds", true, "3 of 3").toString());
        assertEquals("FAIL  it holds", Check.of("it holds", false, "").toString());
    }

    @Test
    void aReportPassesOnlyIfEveryCheckPasses() {
        ScenarioReport report = new ScenarioReport("x").figure("applied", 5);
        assertTrue(report.passed(), "no check yet");
        report.check(Check.of("one", true, ""));
        assertTrue(report.passed());
        report.check(Check.of("two", false, "2 negative"));
        assertFalse(report.passed());
        String text = report.render();
        assertTrue(text.startsWith("== x ==\n"), text);
        assertTrue(text.contains("applied  5"), text);
        assertTrue(text.contains("    PASS  one\n"), text);
        assertTrue(text.contains("    FAIL  two  (2 negative)\n"), text);
    }
}
