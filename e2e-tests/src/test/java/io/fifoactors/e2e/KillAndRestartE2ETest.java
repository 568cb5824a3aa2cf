package io.fifoactors.e2e;

import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Outcome;
import io.fifoactors.e2e.TestLedger.Account;
import io.fifoactors.sqswire.StoredLetter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * G2 across crashes: the ledger's consumer runs in a child JVM (a Poller with two loops) and is killed with SIGKILL
 * in the middle of its work, twice; a third one finishes and stops gracefully. Nothing may be lost and nothing
 * applied twice: every account exactly as the oracle says, money conserved, nothing dead-lettered, and the order
 * guarantees hold on what the children reported. With the queue's redrive (maxReceiveCount 15) and, in the full
 * run ({@value E2eSettings#FULL_PROPERTY}), also with none (the runtime redrives; a killed consumer's outbox is
 * never cleared by a commit then).
 */
class KillAndRestartE2ETest {
    private static final int ACCOUNTS = 30;
    private static final int TRANSFERS = 600;
    private static final long KILL_AFTER = 250;
    private static final Duration VISIBILITY = Duration.ofSeconds(2);

    private static LocalAws aws;
    private final List<ChildConsumer> children = new ArrayList<>();

    @BeforeAll
    static void startServers() {
        aws = LocalAws.start();
    }

    @AfterAll
    static void stopServers() {
        aws.close();
    }

    @AfterEach
    void killChildren() {
        children.forEach(ChildConsumer::close);
    }

    static List<Boolean> redriveModes() {
        return E2eSettings.full() ? List.of(true, false) : List.of(true);
    }

    private ChildConsumer child(LocalAws.Env env, OutcomeRecorder outcomes) throws Exception {
        ChildConsumer c = ChildConsumer.start(outcomes, aws.sqsEndpoint().toString(),
                aws.dynamoEndpoint().toString(), env.queues().queueUrl(), env.queues().deadLetterQueueUrl(),
                env.timerQueueUrl(), env.table(), "2", Long.toString(VISIBILITY.toSeconds()));
        children.add(c);
        c.awaitReady(Duration.ofSeconds(60));
        return c;
    }

    @ParameterizedTest(name = "queue redrive: {0}")
    @MethodSource("redriveModes")
    void killedConsumersLoseNothingAndApplyNothingTwice(boolean queueRedrive) throws Exception {
        LocalAws.Env env = aws.fresh("kill", queueRedrive ? OptionalInt.of(15) : OptionalInt.empty(), VISIBILITY);
        LedgerWorkload work = LedgerWorkload.generate(env.name(), ACCOUNTS, TRANSFERS, 11);
        ActorSystem producer = aws.system(env, TestLedger.ACCOUNT).build();
        List<LedgerWorkload.Tx> sent = new ArrayList<>(work.deposits);
        sent.addAll(work.transfers());
        LedgerWorkload.send(producer, sent);
        OutcomeRecorder outcomes = new OutcomeRecorder();

        Checks checks = new Checks("kill -9 and restart: ledger consumers in child JVMs, " + env.redriveText());
        for (int round = 1; round <= 2; round++) {
            ChildConsumer c = child(env, outcomes);
            Await.until("child " + round + " made progress", Duration.ofSeconds(90),
                    () -> c.decisions() >= KILL_AFTER || !c.isAlive(), c::output);
            c.kill();
            checks.figure("child " + round, "pid " + c.pid() + " killed (SIGKILL) after " + c.decisions()
                    + " decisions, " + aws.messagesIn(env.queues().queueUrl()) + " messages left");
        }
        ChildConsumer last = child(env, outcomes);
        Await.until("the last child settled every account and drained the queue", Duration.ofSeconds(120),
                Duration.ofMillis(500), () -> work.settled(work.snapshots(producer))
                        && aws.messagesIn(env.queues().queueUrl()) == 0,
                () -> last.output() + " " + work.differences(work.snapshots(producer)));
        assertEquals(0, last.stopGracefully(Duration.ofSeconds(30)), last.output());
        checks.figure("child 3", "pid " + last.pid() + " drained the queue after " + last.decisions()
                + " decisions and stopped gracefully");

        List<StoredLetter> dead = new DeadLetterProbe(aws.sqs(), env.queues()).takeAll();
        Map<String, ActorSnapshot<Account>> snaps = work.snapshots(producer);
        List<String> differences = work.differences(snaps);
        long balances = LedgerWorkload.sumBalances(snaps);
        long inFlight = LedgerWorkload.inFlight(snaps);
        List<Outcome> all = outcomes.all();
        List<String> g1 = OrderChecks.perActor(all, sent);
        List<String> g3 = OrderChecks.pairwise(all);
        checks.figure("outcomes reported", outcomes.counts())
                .figure("recognised redeliveries", outcomes.count(Outcome.Kind.DUPLICATE) + " duplicates")
                .figure("money", "balances " + balances + " + in flight " + inFlight + " = deposits "
                        + work.totalDeposits);
        checks.check("nothing dead-lettered", dead.isEmpty(), dead.toString());
        checks.check("every account exactly as the oracle says (nothing lost, nothing applied twice)",
                differences.isEmpty(), String.join("; ", differences));
        checks.check("money conserved", balances + inFlight == work.totalDeposits && inFlight == 0,
                balances + " + " + inFlight);
        checks.check("no balance below zero", !LedgerWorkload.anyNegative(snaps), "");
        checks.check("G2 no message reported applied twice", outcomes.appliedTwice().isEmpty(),
                outcomes.appliedTwice().toString());
        checks.check("G1 per-actor order never went backwards", g1.isEmpty(), g1.isEmpty() ? "" : g1.get(0));
        checks.check("G3 pairwise order never went backwards (" + OrderChecks.actorMessages(all) + " credits)",
                g3.isEmpty(), g3.isEmpty() ? "" : g3.get(0));
        checks.printAndAssert();
    }
}
