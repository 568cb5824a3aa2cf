package io.fifoactors.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * Item 1 of issue 10, the store outage: the ledger runs on a Poller over ElasticMQ and a dynalite that keeps its
 * tables on disk; while transfers run, dynalite is killed (SIGKILL to its own pid) and started again on the same
 * port and data directory after the outage length ({@value E2eSettings#OUTAGE_PROPERTY}, 15 s by default, 60 s in
 * the {@code soak} profile). Run with the queue redrive of the documented settings (maxReceiveCount 15,
 * maxAttempts 5) and, in the full run ({@value E2eSettings#FULL_PROPERTY}), also with no redrive policy (runtime
 * redrive). See {@link LedgerOutageRun} for the checks.
 */
class StoreOutageE2ETest {
    private static RestartableDynalite dynalite;
    private static LocalAws aws;

    @BeforeAll
    static void startServers() {
        dynalite = RestartableDynalite.start();
        aws = LocalAws.withDynamo(dynalite.endpoint());
    }

    @AfterAll
    static void stopServers() {
        aws.close();
        dynalite.close();
    }

    /** Both redrive modes in the full run; by default only the queue's (the mailbox outage runs the runtime's). */
    static List<Boolean> redriveModes() {
        return E2eSettings.full() ? List.of(true, false) : List.of(true);
    }

    @ParameterizedTest(name = "queue redrive: {0}")
    @MethodSource("redriveModes")
    void theLedgerRidesOutAKilledStore(boolean queueRedrive) {
        Duration length = E2eSettings.outage();
        LocalAws.Env env = aws.fresh("store", queueRedrive ? OptionalInt.of(15) : OptionalInt.empty(),
                Duration.ofSeconds(10));
        long[] pids = new long[2];
        LedgerOutageRun.Outage outage = new LedgerOutageRun.Outage() {
            @Override
            public String describe() {
                return "dynalite killed (SIGKILL, pid " + pids[0] + ") and restarted on the same port and data"
                        + " directory (pid " + pids[1] + ")";
            }

            @Override
            public void begin() {
                pids[0] = dynalite.pid();
                dynalite.kill();
            }

            @Override
            public void end() {
                dynalite.restart();
                pids[1] = dynalite.pid();
            }

            @Override
            public boolean blocksCommits() {
                return true;
            }
        };
        // the consumers' own clients: the test's clients stay for producing and checking
        LedgerOutageRun.run("store outage: dynalite killed for " + length.toSeconds() + " s, " + env.redriveText(),
                aws, env, aws.newSqsClient(aws.sqsEndpoint()), aws.newDynamoClient(dynalite.endpoint()), outage,
                length).printAndAssert();
    }
}
