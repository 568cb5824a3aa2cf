package io.fifoactors.examples.demo;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's real mode end to end: it starts an embedded ElasticMQ and a dynalite child process (node and npm must be
 * installed), runs both scenarios through SqsPoller + SqsMailbox + DynamoDbStateStore, passes every invariant check
 * and prints the AWS requests per message by API, then stops the servers.
 */
class RealModeDemoTest {
    /** The checks each scenario reports, in both modes. */
    private static final int CHECKS_PER_SCENARIO = 8;

    @Test
    void aSmallRealRunPassesEveryCheckAndPrintsTheRequestsPerMessage() {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
            code = Demo.run(new String[] {"--mode", "real", "--accounts", "20", "--transactions", "300",
                    "--products", "20", "--movements", "300"}, out, err);
        }
        String out = outBytes.toString(StandardCharsets.UTF_8);
        String err = errBytes.toString(StandardCharsets.UTF_8);
        System.out.println(out);

        assertEquals(0, code, out + err);
        assertTrue(out.startsWith("fifo-actors demo: real servers"), out);
        assertTrue(out.contains("ElasticMQ (embedded) at http://127.0.0.1:"), out);
        assertTrue(out.contains("dynalite (child process) at http://127.0.0.1:"), out);
        assertTrue(out.contains("== ledger =="), out);
        assertTrue(out.contains("== inventory =="), out);
        assertEquals(2 * CHECKS_PER_SCENARIO, lines(out, "PASS  "), "every check of both scenarios PASS:\n" + out);
        assertEquals(0, lines(out, "FAIL"), out);
        assertTrue(out.contains("RESULT: every invariant PASS"), out);

        assertEquals(2, count(out, "AWS requests per message by API"), "one requests table per scenario:\n" + out);
        assertEquals(2, count(out, "consumer side: SqsPoller + runtime"), out);
        assertEquals(2, count(out, "producer side: ingress"), out);
        for (String api : List.of("Sqs ReceiveMessage", "Sqs DeleteMessageBatch", "Sqs SendMessageBatch",
                "DynamoDb PutItem")) {
            assertTrue(lines(out, api) >= 2, api + " in each consumer-side table:\n" + out);
        }
        assertTrue(err.contains("ledger: 100%"), "progress goes to stderr: " + err);
        assertTrue(err.contains("inventory: 100%"), "progress goes to stderr: " + err);
    }

    private static long lines(String text, String prefix) {
        return text.lines().filter(l -> l.strip().startsWith(prefix)).count();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
