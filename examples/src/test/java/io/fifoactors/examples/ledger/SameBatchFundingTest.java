package io.fifoactors.examples.ledger;

import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.examples.ledger.LedgerTransaction.DepositTx;
import io.fifoactors.examples.ledger.LedgerTransaction.OpenTx;
import io.fifoactors.examples.ledger.LedgerTransaction.TransferTx;
import io.fifoactors.inmemory.FaultPlan;
import io.fifoactors.inmemory.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The case a design that only orders each ingress batch gets wrong: in ONE batch, B receives a deposit and transfers
 * it to A, and A (starting at zero) transfers part of it onwards to C. Ordering the batch (deposits before
 * transfers) cannot help: A's transfer and B's transfer go to different actors, and B's credit to A is a message B
 * sends only after it handled its own transfer, so it always reaches A after A's transfer. A transfer that may wait
 * is deferred and applied when the credit arrives; one that may not is refused, and no money is lost either way.
 */
class SameBatchFundingTest {
    /** The batch, with A's onward transfer listed first by the producer. */
    private static List<LedgerTransaction> batch(long onwardWaitMillis) {
        return List.of(
                new TransferTx("a-to-c", "a", "c", 30, onwardWaitMillis),
                new TransferTx("b-to-a", "b", "a", 50, 0),
                new DepositTx("dep-b", "b", 100),
                new OpenTx("open-a", "a"),
                new OpenTx("open-b", "b"),
                new OpenTx("open-c", "c"));
    }

    private static Simulation simulation(long seed, int consumers, int batchSize, double faultRate) {
        return Simulation.builder()
                .configure(b -> b.register(Ledger.ACCOUNT).keptRejections(10)) // the checks read rejections back
                .consumers(consumers).batchSize(batchSize).seed(seed)
                .faults(faultRate == 0 ? FaultPlan.none() : FaultPlan.uniform(faultRate))
                .build();
    }

    /** Runs until everything settled: every deadline passed on its own timer, no wake needed. */
    private static Simulation.RunResult runToTheEnd(Simulation sim, List<LedgerTransaction> batch) {
        Ledger.ingress(sim.system()).submit(batch);
        Simulation.RunResult r = sim.run();
        assertTrue(r.settled(), r.replayHint());
        assertEquals(List.of(), sim.mailbox().deadLetters(), r.replayHint());
        return r;
    }

    private static ActorSnapshot<Account> inspect(Simulation sim, String key) {
        return sim.system().inspect(Ledger.ACCOUNT, key);
    }

    @ParameterizedTest(name = "seed {0}, {1} consumers, batch size {2}, fault rate {3}")
    @CsvSource({"1, 1, 10, 0", "2, 4, 1, 0", "3, 8, 10, 0", "42, 3, 5, 0.05", "7, 6, 2, 0.05", "99, 2, 10, 0.05"})
    void aWaitingTransferFundedByAnotherTransferOfTheSameBatchIsDeferredThenApplied(long seed, int consumers,
                                                                                   int batchSize, double faults) {
        try (Simulation sim = simulation(seed, consumers, batchSize, faults)) {
            Simulation.RunResult r = runToTheEnd(sim, batch(Duration.ofHours(1).toMillis()));
            String hint = "seed " + seed + "; " + r.replayHint();
            ActorSnapshot<Account> a = inspect(sim, "a");
            assertEquals(Account.opened(20, 0), a.state(), hint);
            assertEquals(Account.opened(50, 100), inspect(sim, "b").state(), hint);
            assertEquals(Account.opened(30, 0), inspect(sim, "c").state(), hint);
            // it really was handled before its funds were there, and waited for them
            assertEquals(1, a.deferred(), hint);
            assertEquals(0, a.stash().size(), hint);
            assertEquals(0, a.rejected(), hint);
            assertEquals(List.of(), a.timers(), "the stash timer went with the stash; " + hint);
        }
    }

    @ParameterizedTest(name = "seed {0}, {1} consumers, batch size {2}, fault rate {3}")
    @CsvSource({"1, 1, 10, 0", "3, 8, 10, 0", "42, 3, 5, 0.05"})
    void withoutWaitingTheSameTransferIsRejectedForInsufficientFundsAndNoMoneyIsLost(long seed, int consumers,
                                                                                      int batchSize, double faults) {
        try (Simulation sim = simulation(seed, consumers, batchSize, faults)) {
            Simulation.RunResult r = runToTheEnd(sim, batch(0));
            String hint = "seed " + seed + "; " + r.replayHint();
            ActorSnapshot<Account> a = inspect(sim, "a");
            ActorSnapshot<Account> b = inspect(sim, "b");
            ActorSnapshot<Account> c = inspect(sim, "c");
            assertEquals(Account.opened(50, 0), a.state(), hint);
            assertEquals(Account.opened(50, 100), b.state(), hint);
            assertEquals(Account.opened(0, 0), c.state(), hint);
            assertEquals(0, a.deferred(), hint);
            assertEquals(List.of("a-to-c"), a.recentRejections().stream()
                    .map(ActorSnapshot.RejectionView::messageId).toList(), hint);
            assertEquals(Ledger.INSUFFICIENT_FUNDS, a.recentRejections().get(0).reason(), hint);
            long balances = a.state().balance() + b.state().balance() + c.state().balance();
            long deposited = a.state().deposited() + b.state().deposited() + c.state().deposited();
            assertEquals(100, deposited, hint);
            assertEquals(deposited, balances, "money not conserved; " + hint);
        }
    }

    @Test
    void theDeferredTransferExpiresOnItsOwnWhenTheFundsNeverCome() {
        try (Simulation sim = simulation(5, 3, 10, 0)) {
            // B's transfer to A is refused (B has nothing), so A's onward transfer waits in vain
            Ledger.ingress(sim.system()).submit(List.of(
                    new TransferTx("a-to-c", "a", "c", 30, Duration.ofMinutes(5).toMillis()),
                    new TransferTx("b-to-a", "b", "a", 50, 0),
                    new OpenTx("open-a", "a"), new OpenTx("open-b", "b"), new OpenTx("open-c", "c")));
            // the run ends when nothing is left to do, timers included: the deadline fired with no wake
            assertTrue(sim.run().settled());
            ActorSnapshot<Account> a = inspect(sim, "a");
            assertEquals(0, a.stash().size());
            assertEquals(1, a.deferred());
            ActorSnapshot.RejectionView expiry = a.recentRejections().get(0);
            assertEquals("deferral deadline passed", expiry.reason());
            assertFalse(expiry.at().isBefore(sim.startTime().plus(Duration.ofMinutes(5))), "expired early: " + expiry);
            assertTrue(expiry.at().isBefore(sim.startTime().plus(Duration.ofMinutes(6))), "expired late: " + expiry);
            assertEquals(Account.opened(0, 0), a.state());
            assertEquals(Account.opened(0, 0), inspect(sim, "c").state());
            assertEquals(Ledger.INSUFFICIENT_FUNDS, inspect(sim, "b").recentRejections().get(0).reason());
        }
    }

    @Test
    void ingressOrderAloneFundsATransferFromADepositToTheSameAccountListedAfterIt() {
        // the case ordering does solve: one actor, deposit listed after the transfer, no waiting needed
        try (Simulation sim = simulation(11, 4, 10, 0)) {
            Ledger.ingress(sim.system()).submit(List.of(
                    new TransferTx("a-to-c", "a", "c", 30, 0),
                    new DepositTx("dep-a", "a", 40),
                    new OpenTx("open-a", "a"), new OpenTx("open-c", "c")));
            assertTrue(sim.run().settled());
            assertEquals(Account.opened(10, 40), inspect(sim, "a").state());
            assertEquals(Account.opened(30, 0), inspect(sim, "c").state());
            assertEquals(0, inspect(sim, "a").rejected());
        }
    }
}
