package io.fifoactors.e2e;

import io.fifoactors.examples.demo.InventoryScenario;
import io.fifoactors.examples.demo.LedgerScenario;
import io.fifoactors.examples.demo.Scenario;
import io.fifoactors.examples.demo.ScenarioConfig;
import io.fifoactors.examples.demo.ScenarioReport;
import io.fifoactors.examples.demo.ServersBackend;
import io.fifoactors.examples.demo.ServersBackend.Consumption;
import io.fifoactors.examples.demo.aws.AwsServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's ledger and inventory scenarios, run as {@code ./demo.sh --mode real} runs them (SqsPoller + SqsMailbox +
 * DynamoDbStateStore against ElasticMQ and dynalite), consuming while producing or a backlog, with the
 * {@linkplain ServersBackend.Options#outcomeChecks() outcome checks} on top of the demo's: G1 (each actor decided the
 * producer's messages exactly in send order), G2 (effectively once: nothing applied twice, every actor-to-actor
 * message decided once, every deposit once), G3 (pairwise order), G4 (exactly the malformed messages dead-lettered,
 * the rest goes on), G5 (no negative balance or stock, money conserved), no poller errors, a graceful stop. The
 * report, with the AWS requests per message by API (figures only), is printed; every check must pass.
 */
class ScenariosOnPollerE2ETest {
    /** A visibility timeout short enough that long batches need heartbeats. */
    private static final Duration VISIBILITY = Duration.ofSeconds(5);
    private static final Pattern MALFORMED = Pattern.compile("\\((\\d+) of them malformed");

    private static AwsServers aws;

    @BeforeAll
    static void startServers() {
        aws = AwsServers.start();
    }

    @AfterAll
    static void stopServers() {
        aws.close();
    }

    /** 50 actors, 2000 records in ingress batches of 250, a fifth of the transfers or departures waiting. */
    private static ScenarioConfig config(long seed) {
        return new ScenarioConfig(50, 2000, seed, 0, 2, 10, 0.2, 0.003, 250);
    }

    private static void runAndAssert(Scenario<?, ?> scenario, long seed, Consumption consumption) {
        ServersBackend backend = new ServersBackend(aws, new ServersBackend.Options(consumption, VISIBILITY, true));
        ScenarioReport report = scenario.run(config(seed), backend, null);
        String text = report.render();
        System.out.println(text);
        Matcher m = MALFORMED.matcher(report.figures().get("records produced"));
        assertTrue(m.find() && Integer.parseInt(m.group(1)) > 0, "some malformed messages produced:\n" + text);
        assertTrue(report.checks().size() >= 15, "the demo's checks and the outcome checks:\n" + text);
        assertTrue(report.passed(), "invariants violated:\n" + text);
    }

    @Test
    void ledgerConsumedWhileProduced() {
        runAndAssert(new LedgerScenario(), 42, Consumption.WHILE_PRODUCING);
    }

    @Test
    void ledgerConsumedAsABacklog() {
        runAndAssert(new LedgerScenario(), 43, Consumption.BACKLOG);
    }

    @Test
    void inventory() {
        runAndAssert(new InventoryScenario(), 7, Consumption.WHILE_PRODUCING);
    }
}
