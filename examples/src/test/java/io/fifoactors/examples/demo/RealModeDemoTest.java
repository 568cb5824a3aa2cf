package io.fifoactors.examples.demo;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo on real servers end to end: it starts an embedded ElasticMQ and a dynalite child process (node and npm must
 * be installed), runs the three scenarios through a Poller with SqsMailbox, DynamoDbStateStore and SQS timers, passes
 * every check (the timers fire on their own: nothing is woken), reports the timers' firing delays and the AWS requests
 * per message by API, then stops the servers.
 */
class RealModeDemoTest {
    @Test
    void aSmallRunOnServersPassesEveryCheckAndReportsTimersAndRequests() {
        DemoTest.Run r = DemoTest.run("--servers", "--accounts", "10", "--transactions", "100", "--products", "10",
                "--movements", "100", "--seats", "8", "--bookings", "16", "--poison-rate", "0.02");
        System.out.println(r.out());

        assertEquals(0, r.code(), r.out() + r.err());
        String out = r.out();
        assertTrue(out.startsWith("fifo-actors demo: real servers"), out);
        assertTrue(out.contains("ElasticMQ (embedded) at http://127.0.0.1:"), out);
        assertTrue(out.contains("dynalite (child process) at http://127.0.0.1:"), out);
        for (String name : List.of("ledger", "inventory", "booking")) {
            assertTrue(out.contains("== " + name + " =="), out);
            assertTrue(r.err().contains(name + ": 100%"), "progress goes to stderr: " + r.err());
        }
        int checks = 3 * (DemoTest.GENERIC_CHECKS.size() + 1) + DemoTest.LEDGER_CHECKS.size()
                + DemoTest.INVENTORY_CHECKS.size() + DemoTest.BOOKING_CHECKS.size();
        assertEquals(checks, r.lines("PASS  "), "every check of every scenario PASS:\n" + out);
        assertEquals(3, r.passLines("no timer fired before its due time"), out);
        assertEquals(0, r.lines("FAIL"), out);
        assertTrue(out.contains("RESULT: every invariant PASS"), out);

        Matcher timers = Pattern.compile("timers\\s+(\\d+) scheduled, (\\d+) received; firing delay after the due"
                + " time: median \\d+ ms").matcher(out);
        int withTimers = 0;
        while (timers.find()) {
            withTimers++;
        }
        assertTrue(withTimers >= 1, "the booking's timers, with their firing delays:\n" + out);

        assertEquals(3, count(out, "AWS requests per message by API"), "one requests table per scenario:\n" + out);
        assertEquals(3, count(out, "consumer side: Poller + runtime + timer forwarder"), out);
        assertEquals(3, count(out, "producer side: ingress"), out);
        for (String api : List.of("Sqs ReceiveMessage", "Sqs DeleteMessageBatch", "Sqs SendMessageBatch",
                "DynamoDb PutItem")) {
            assertTrue(r.lines(api) >= 3, api + " in each consumer-side table:\n" + out);
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
