package io.fifoactors.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * Item 2 of issue 10, the mailbox outage: the ledger's consumers reach ElasticMQ through a loopback TCP proxy, which
 * is cut (every connection reset, new ones too) while transfers run, for the outage length
 * ({@value E2eSettings#OUTAGE_PROPERTY}, 15 s by default, 60 s in the {@code soak} profile); the producer
 * goes on sending straight to ElasticMQ. Receives, acknowledgements, visibility changes and the sends of credits
 * all fail meanwhile. Run with no redrive policy (runtime redrive) and, in the full run
 * ({@value E2eSettings#FULL_PROPERTY}), also with the queue redrive of the documented settings (maxReceiveCount
 * 15, maxAttempts 5). See {@link LedgerOutageRun} for the checks.
 */
class MailboxOutageE2ETest {
    private static LocalAws aws;

    @BeforeAll
    static void startServers() {
        aws = LocalAws.start();
    }

    @AfterAll
    static void stopServers() {
        aws.close();
    }

    /** Both redrive modes in the full run; by default only the runtime's (the store outage runs the queue's). */
    static List<Boolean> redriveModes() {
        return E2eSettings.full() ? List.of(true, false) : List.of(false);
    }

    @ParameterizedTest(name = "queue redrive: {0}")
    @MethodSource("redriveModes")
    void theLedgerRidesOutACutMailbox(boolean queueRedrive) {
        Duration length = E2eSettings.outage();
        LocalAws.Env env = aws.fresh("mailbox", queueRedrive ? OptionalInt.of(15) : OptionalInt.empty(),
                Duration.ofSeconds(10));
        try (TcpProxy proxy = TcpProxy.to(aws.sqsEndpoint().getPort())) {
            LedgerOutageRun.Outage outage = new LedgerOutageRun.Outage() {
                @Override
                public String describe() {
                    return "the consumers' connections to ElasticMQ reset (loopback proxy cut; "
                            + proxy.refused() + " connections refused meanwhile)";
                }

                @Override
                public void begin() {
                    proxy.cut();
                }

                @Override
                public void end() {
                    proxy.restore();
                }

                @Override
                public boolean blocksCommits() {
                    return false;
                }
            };
            LedgerOutageRun.run("mailbox outage: ElasticMQ cut off for " + length.toSeconds() + " s, "
                            + env.redriveText(), aws, env, aws.newSqsClient(proxy.endpoint()), aws.dynamo(), outage,
                    length).printAndAssert();
        }
    }
}
