package io.fifoactors.e2e;

import io.fifoactors.examples.demo.aws.AwsServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ledger and inventory scenarios on SqsPoller + SqsMailbox + DynamoDbStateStore against ElasticMQ and dynalite:
 * G1 (per-actor order), G2 (effectively once), G3 (pairwise order), G4 (malformed messages dead-lettered, the rest
 * goes on) and G5 (no negative balance or stock, money conserved). The ledger run also prints the AWS requests per
 * message by API (figures only; nothing is asserted about them).
 */
class ScenariosOnPollerE2ETest {
    private static AwsServers aws;

    @BeforeAll
    static void startServers() {
        aws = AwsServers.start();
    }

    @AfterAll
    static void stopServers() {
        aws.close();
    }

    @Test
    void ledgerConsumedWhileProduced() {
        System.out.println(new LedgerWorkload().run(aws,
                new PollerScenario.Config(50, 2000, 42, 0.2, 4, 250, 2, true)));
    }

    @Test
    void ledgerConsumedAsABacklog() {
        System.out.println(new LedgerWorkload().run(aws,
                new PollerScenario.Config(50, 2000, 43, 0.2, 4, 250, 2, false)));
    }

    @Test
    void inventory() {
        new InventoryWorkload().run(aws, new PollerScenario.Config(50, 2000, 7, 0.2, 4, 250, 2, true));
    }
}
