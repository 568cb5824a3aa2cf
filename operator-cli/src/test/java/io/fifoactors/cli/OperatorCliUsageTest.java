package io.fifoactors.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the command line says without touching AWS: help on every command, usage errors with exit code 2 and a hint,
 * message keys refused without showing them. No server is contacted (the endpoint is a closed local port).
 */
class OperatorCliUsageTest {
    /** Port 9 (discard) on loopback: nothing listens, so a request that should not be made would fail loudly. */
    private final Cli cli = new Cli(List.of("--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9"),
            Map.of("AWS_ACCESS_KEY_ID", "x", "AWS_SECRET_ACCESS_KEY", "y"));

    @Test
    void everyCommandHasHelp() {
        for (String[] command : new String[][] {{}, {"inspect"}, {"attention"}, {"wake"}, {"unpark"},
                {"dead-letters"}, {"dead-letters", "list"}, {"dead-letters", "move-back"}, {"dead-letters", "purge"}}) {
            String[] args = new String[command.length + 1];
            System.arraycopy(command, 0, args, 0, command.length);
            args[command.length] = "--help";
            Cli.Run r = cli.run(args);
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().startsWith("Usage: fifo-actors"), r.toString());
            assertTrue(r.out().contains("--output") && r.out().contains("--region"), "global options shown: " + r);
        }
        Cli.Run top = cli.run("--help");
        assertTrue(top.out().contains("Exit codes:") && top.out().contains("2  usage error"), top.out());
        Cli.Run unpark = cli.run("unpark", "--help");
        assertTrue(unpark.out().contains("deduplication id"), "the request id is explained: " + unpark.out());
    }

    @Test
    void usageErrorsExitWithTwoAndAHint() {
        List<String[]> wrong = List.of(
                new String[] {},
                new String[] {"frobnicate"},
                new String[] {"inspect"},
                new String[] {"inspect", "account/a-1"},                       // no --table
                new String[] {"--table", "actors", "inspect", "no-slash"},
                new String[] {"--table", "actors", "inspect", "account/a 1"},
                new String[] {"--output", "yaml", "--table", "actors", "attention"},
                new String[] {"--table", "actors", "attention", "--page-size", "0"},
                new String[] {"--queue-url", "http://q/x.fifo", "unpark", "account/a-1"},   // no --retry, no --skip
                new String[] {"--queue-url", "http://q/x.fifo", "unpark", "account/a-1", "--retry", "--skip"},
                new String[] {"--queue-url", "http://q/x.fifo", "wake", "account/a-1"},     // no message keys
                new String[] {"wake", "account/a-1"},                                        // no queue
                new String[] {"dead-letters"},
                new String[] {"dead-letters", "list"},                                       // no dead-letter queue
                new String[] {"--dead-letter-queue-url", "http://q/d.fifo", "--queue-url", "http://q/x.fifo",
                        "dead-letters", "move-back"},                                        // which letters?
                new String[] {"--dead-letter-queue-url", "http://q/d.fifo", "--queue-url", "http://q/x.fifo",
                        "dead-letters", "move-back", "--all", "--actor", "account/a-1"},
                new String[] {"--dead-letter-queue-url", "http://q/d.fifo", "dead-letters", "purge", "--all"},
                new String[] {"--dead-letter-queue-url", "http://q/d.fifo", "dead-letters", "list",
                        "--visibility-timeout", "0"});
        for (String[] args : wrong) {
            Cli.Run r = cli.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + "\n" + r);
            assertTrue(r.err().startsWith("error: ") && r.err().contains("--help' for usage."), r.toString());
            assertEquals("", r.out(), "usage errors print nothing on stdout: " + r);
        }
        Cli.Run purge = cli.run("--dead-letter-queue-url", "http://q/d.fifo", "dead-letters", "purge", "--all");
        assertTrue(purge.err().contains("--yes"), purge.err());
    }

    @Test
    void invalidMessageKeysAreRefusedWithoutShowingThem() {
        String secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQ=";   // Base64, but too short a key
        Cli withKeys = new Cli(List.of("--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9"),
                Map.of("AWS_ACCESS_KEY_ID", "x", "AWS_SECRET_ACCESS_KEY", "y", "FA_MESSAGE_KEYS", "k1:" + secret));
        Cli.Run r = withKeys.run("--queue-url", "http://127.0.0.1:9/000000000000/q.fifo", "wake", "account/a-1");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("FA_MESSAGE_KEYS") && r.err().contains("not valid"), r.err());
        assertFalse(r.err().contains(secret), r.err());
    }

    @Test
    void anUnreachableEndpointIsAnErrorWithExitCodeOne() {
        Cli.Run r = cli.run("--table", "actors", "inspect", "account/a-1");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().startsWith("error: "), r.err());
        assertEquals("", r.out());
    }
}
