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

/**
 * The demo's command line on the simulator: a small run of each scenario, under faults, passes every check; bad flags
 * exit 2 with the usage.
 */
class DemoTest {
    static final List<String> GENERIC_CHECKS = List.of(
            "settled: every message processed, every timer fired",
            "every message produced was reported decided",
            "no message applied twice",
            "no dead-lettered message handled afterwards",
            "every malformed message dead-lettered, with its reason",
            "nothing pending with no outside wake");
    static final List<String> LEDGER_CHECKS = List.of(
            "G5 no balance below zero",
            "G5 money conserved: balances + suspense + dead-lettered in flight = deposits",
            "G2 every deposit applied exactly once",
            "credits to unopened accounts refunded");
    static final List<String> INVENTORY_CHECKS = List.of(
            "G5 no stock below zero",
            "stock = arrivals - departures for every product",
            "G2 every arrival applied exactly once",
            "departures never exceed requests");
    static final List<String> BOOKING_CHECKS = List.of(
            "BookingInvariants: confirmed bookings hold their seats, booked seats belong to them, nothing pending",
            "no seat in two bookings",
            "every booking requested settled: confirmed or cancelled, on its own timers");

    /** What one run printed, and its exit code. */
    record Run(int code, String out, String err) {
        long lines(String prefix) {
            return out.lines().filter(l -> l.strip().startsWith(prefix)).count();
        }

        long passLines(String check) {
            return out.lines().filter(l -> l.strip().startsWith("PASS  " + check)).count();
        }
    }

    static Run run(String... args) {
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
    void aSmallRunOfEachScenarioUnderFaultsPassesEveryCheck() {
        Run r = run("--accounts", "20", "--transactions", "300", "--products", "10", "--movements", "300",
                "--seats", "12", "--bookings", "40", "--fault-rate", "0.05", "--poison-rate", "0.02",
                "--ingress-batch", "100", "--seed", "7");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("RESULT: every invariant PASS"), r.out());
        for (String name : List.of("ledger", "inventory", "booking")) {
            assertTrue(r.out().contains("== " + name + " =="), r.out());
            assertTrue(r.err().contains(name + ": 100%"), "progress goes to stderr: " + r.err());
        }
        for (String check : GENERIC_CHECKS) {
            assertEquals(3, r.passLines(check), "no PASS line for '" + check + "' in each scenario:\n" + r.out());
        }
        for (String check : concat(LEDGER_CHECKS, INVENTORY_CHECKS, BOOKING_CHECKS)) {
            assertEquals(1, r.passLines(check), "no PASS line for '" + check + "':\n" + r.out());
        }
        int checks = 3 * GENERIC_CHECKS.size() + LEDGER_CHECKS.size() + INVENTORY_CHECKS.size()
                + BOOKING_CHECKS.size();
        assertEquals(checks, r.lines("PASS"), r.out());
        assertEquals(0, r.lines("FAIL"), r.out());
        assertTrue(r.out().contains("fault rate 0.05"), r.out());
        Matcher faults = Pattern.compile("faults injected\\s+(\\d+) crashes").matcher(r.out());
        assertTrue(faults.find() && Integer.parseInt(faults.group(1)) > 0, "faults were injected:\n" + r.out());
        // the report says what happened, by kind and by reason
        assertTrue(r.out().contains("outcomes by kind          APPLIED"), r.out());
        assertTrue(r.out().contains("by reason: \""), "dead letters with their reasons:\n" + r.out());
        Matcher bookings = Pattern.compile("bookings\\s+40 checked: (.*)").matcher(r.out());
        assertTrue(bookings.find(), r.out());
        assertTrue(bookings.group(1).contains("confirmed") && bookings.group(1).contains("cancelled"),
                "bookings both confirmed and cancelled: " + bookings.group(1));
        assertEquals(3, r.lines("ledger     PASS") + r.lines("inventory  PASS") + r.lines("booking    PASS"),
                "a summary line per scenario:\n" + r.out());
    }

    @Test
    void scenariosCanBeChosen() {
        Run r = run("--scenario", "booking,inventory", "--products", "5", "--movements", "200", "--defer-share",
                "1", "--seats", "6", "--bookings", "20", "--poison-rate", "0.05", "--consumers", "3",
                "--batch-size", "4", "--seed=11");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("== inventory =="), r.out());
        assertTrue(r.out().contains("== booking =="), r.out());
        assertFalse(r.out().contains("== ledger =="), r.out());
        assertTrue(r.out().indexOf("== inventory ==") < r.out().indexOf("== booking =="), "the demo's order");
        assertEquals(2 * GENERIC_CHECKS.size() + INVENTORY_CHECKS.size() + BOOKING_CHECKS.size(), r.lines("PASS"),
                r.out());
        assertTrue(r.out().contains("3 consumers"), r.out());
        Matcher malformed = Pattern.compile("dead-lettered, with its reason  \\((\\d+) malformed").matcher(r.out());
        assertTrue(malformed.find(), r.out());
        assertTrue(Integer.parseInt(malformed.group(1)) > 0, "the run should include malformed messages: " + r.out());
    }

    @Test
    void helpPrintsTheUsageAndExitsZero() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("usage: demo"), r.out());
        assertTrue(r.out().contains("--fault-rate"), r.out());
        assertTrue(r.out().contains("--servers"), r.out());
        assertTrue(r.out().contains("--bookings"), r.out());
        assertFalse(r.out().contains("RESULT"), r.out());
        assertEquals("", r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--nope 1", "--nope", "--consumers 0", "--consumers 1001", "--fault-rate x",
            "--fault-rate 0.6", "--batch-size 11", "--accounts 1", "--scenario neither", "--scenario ledger,",
            "--seed 1 --seed 2", "positional", "--", "--transactions -1", "--defer-share 2", "--poison-rate NaN",
            "--seats 0", "--servers --fault-rate 0.1", "--region us-east-1"})
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
        assertTrue(run("--region", "eu-west-1").err().contains("--region needs --servers"));
    }

    @SafeVarargs
    static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
