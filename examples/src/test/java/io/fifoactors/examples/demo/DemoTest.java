package io.fifoactors.examples.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's command line: a small run passes every invariant; bad flags exit 2 with the usage. */
class DemoTest {
    private static final List<String> GENERIC_CHECKS = List.of(
            "settled: the mailbox drained",
            "every message accounted for exactly once",
            "every malformed message dead-lettered",
            "nothing left deferred or held after the deadlines");
    private static final List<String> LEDGER_CHECKS = List.of(
            "G5 no balance below zero",
            "G5 money conserved: balances + dead-lettered in flight = deposits",
            "G2 every deposit applied exactly once",
            "credits to unopened accounts refunded");
    private static final List<String> INVENTORY_CHECKS = List.of(
            "G5 no stock below zero",
            "stock = arrivals - departures for every product",
            "G2 every arrival applied exactly once",
            "departures never exceed requests");

    /** What one run printed, and its exit code. */
    record Run(int code, String out, String err) {
        long lines(String prefix) {
            return out.lines().filter(l -> l.strip().startsWith(prefix)).count();
        }

        boolean passLine(String check) {
            return out.lines().anyMatch(l -> l.strip().startsWith("PASS  " + check));
        }
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Demo.run(args, o, e);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aSmallRunWithFaultsPassesEveryInvariant() {
        Run r = run("--accounts", "20", "--transactions", "500", "--products", "20", "--movements", "500",
                "--fault-rate", "0.05", "--ingress-batch", "100", "--seed", "7");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("RESULT: every invariant PASS"), r.out());
        assertTrue(r.out().contains("== ledger =="), r.out());
        assertTrue(r.out().contains("== inventory =="), r.out());
        for (String check : GENERIC_CHECKS) {
            assertEquals(2, r.out().lines().filter(l -> l.strip().startsWith("PASS  " + check)).count(),
                    "no PASS line for '" + check + "' in each scenario:\n" + r.out());
        }
        for (String check : LEDGER_CHECKS) {
            assertTrue(r.passLine(check), "no PASS line for '" + check + "':\n" + r.out());
        }
        for (String check : INVENTORY_CHECKS) {
            assertTrue(r.passLine(check), "no PASS line for '" + check + "':\n" + r.out());
        }
        int checks = 2 * GENERIC_CHECKS.size() + LEDGER_CHECKS.size() + INVENTORY_CHECKS.size();
        assertEquals(checks, r.lines("PASS"), r.out());
        assertEquals(0, r.lines("FAIL"), r.out());
        assertTrue(r.out().contains("fault rate 0.05"), r.out());
        assertTrue(r.err().contains("ledger: 100%"), "progress goes to stderr: " + r.err());
        assertTrue(r.err().contains("inventory: 100%"), "progress goes to stderr: " + r.err());
    }

    @Test
    void oneScenarioCanRunAlone() {
        Run r = run("--scenario", "inventory", "--products", "5", "--movements", "200", "--defer-share", "1",
                "--poison-rate", "0.05", "--consumers", "3", "--batch-size", "4", "--seed=11");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("== inventory =="), r.out());
        assertFalse(r.out().contains("== ledger =="), r.out());
        assertEquals(GENERIC_CHECKS.size() + INVENTORY_CHECKS.size(), r.lines("PASS"), r.out());
        assertTrue(r.out().contains("RESULT: every invariant PASS"), r.out());
        assertTrue(r.out().contains("3 consumers"), r.out());
        Matcher malformed = Pattern.compile("every malformed message dead-lettered  \\((\\d+) malformed")
                .matcher(r.out());
        assertTrue(malformed.find(), r.out());
        assertTrue(Integer.parseInt(malformed.group(1)) > 0, "the run should include malformed messages: " + r.out());
    }

    @Test
    void helpPrintsTheUsageAndExitsZero() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("usage: demo"), r.out());
        assertTrue(r.out().contains("--fault-rate"), r.out());
        assertFalse(r.out().contains("RESULT"), r.out());
        assertEquals("", r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--nope 1", "--nope", "--consumers 0", "--consumers 1001", "--fault-rate x",
            "--fault-rate 0.6", "--batch-size 11", "--accounts 1", "--scenario neither", "--seed 1 --seed 2",
            "positional", "--", "--transactions -1", "--defer-share 2", "--poison-rate NaN"})
    void aBadFlagExitsTwoWithTheUsage(String args) {
        Run r = run(args.split(" "));
        assertEquals(2, r.code(), args + ": " + r.out() + r.err());
        assertTrue(r.err().startsWith("demo: "), args + ": " + r.err());
        assertTrue(r.err().contains("usage: demo"), args + ": " + r.err());
        assertEquals("", r.out(), args + ": nothing runs");
    }

    @Test
    void aBadFlagSaysWhichAndWhy() {
        assertTrue(run("--nope", "1").err().contains("unknown flag --nope"));
        assertTrue(run("--consumers", "0").err().contains("--consumers must be between 1 and 1000, was 0"));
        assertTrue(run("--fault-rate", "x").err().contains("--fault-rate must be a number, was 'x'"));
        assertTrue(run("--accounts").err().contains("--accounts needs a value"));
    }
}
