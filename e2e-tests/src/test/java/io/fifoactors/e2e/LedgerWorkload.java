package io.fifoactors.e2e;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.examples.ledger.Account;
import io.fifoactors.examples.ledger.Ledger;
import io.fifoactors.examples.ledger.LedgerTransaction;
import io.fifoactors.examples.ledger.LedgerTransaction.DepositTx;
import io.fifoactors.examples.ledger.LedgerTransaction.OpenTx;
import io.fifoactors.examples.ledger.LedgerTransaction.TransferTx;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The ledger workload: accounts are opened, then get random deposits (40%) and transfers (60%); one transfer in a
 * hundred goes to a never-opened "ghost" account, whose credit is refused and refunded; a share of transfers waits
 * for funds instead of being rejected.
 */
final class LedgerWorkload extends PollerScenario<LedgerTransaction, Account> {
    static final int GHOSTS = 5;

    @Override
    String name() {
        return "ledger";
    }

    @Override
    ActorType<Account, ?> type() {
        return Ledger.ACCOUNT;
    }

    @Override
    List<LedgerTransaction> generate(Config cfg, SplittableRandom random) {
        return transactions(cfg.actors(), cfg.messages(), cfg.deferShare(), random);
    }

    static List<LedgerTransaction> transactions(int accounts, int count, double deferShare, SplittableRandom random) {
        return io.fifoactors.examples.ledger.LedgerWorkload.transactions(accounts, count, GHOSTS, deferShare, MAX_WAIT,
                random);
    }

    @Override
    boolean poisonable(LedgerTransaction record) {
        return !(record instanceof OpenTx);
    }

    @Override
    Ingress<LedgerTransaction> ingress(ActorSystem system) {
        return Ledger.ingress(system);
    }

    @Override
    String idOf(LedgerTransaction record) {
        return record.id();
    }

    @Override
    ActorId targetOf(LedgerTransaction record) {
        return Ledger.account(record.account());
    }

    @Override
    List<ActorId> actors(Config cfg) {
        return accounts(cfg.actors());
    }

    static List<ActorId> accounts(int n) {
        return io.fifoactors.examples.ledger.LedgerWorkload.accounts(n, GHOSTS);
    }

    @Override
    void domainChecks(Run<LedgerTransaction, Account> run) {
        checkMoney(run.snapshots().values(), run.produced(), run.deadIds(), run.dead(), run.checks());
    }

    /** G5 and G2 for money: no negative balance, balances + money dead-lettered in flight = deposits = produced. */
    static void checkMoney(Collection<ActorSnapshot<Account>> snapshots, List<LedgerTransaction> produced,
                           Set<String> deadIds, List<QueueProbe.Dead> dead, Checks checks) {
        long balances = 0;
        long deposited = 0;
        long negative = 0;
        long ghostMoney = 0;
        for (ActorSnapshot<Account> s : snapshots) {
            balances += s.state().balance();
            deposited += s.state().deposited();
            negative += s.state().balance() < 0 ? 1 : 0;
            if (s.id().key().startsWith("ghost-")) {
                ghostMoney += s.state().balance();
            }
        }
        long expectedDeposits = 0;
        for (LedgerTransaction tx : produced) {
            if (tx instanceof DepositTx d && !deadIds.contains(d.id())) {
                expectedDeposits += d.amount();
            }
        }
        long deadInFlight = dead.stream()
                .filter(d -> d.sender() != null && ("Credit".equals(d.type()) || "Refund".equals(d.type())))
                .mapToLong(QueueProbe.Dead::amount).sum();
        checks.figure("money", String.format("%,d deposited, %,d in balances, %,d dead-lettered in flight",
                deposited, balances, deadInFlight));
        checks.check("G5 no balance below zero", negative == 0, negative + " negative balances");
        checks.check("G5 money conserved: balances + dead-lettered in flight = deposits applied",
                balances + deadInFlight == deposited, balances + " + " + deadInFlight + " vs " + deposited);
        checks.check("G2 deposits applied = deposits produced (each exactly once)", deposited == expectedDeposits,
                deposited + " applied vs " + expectedDeposits + " produced");
        checks.check("credits to unopened accounts refunded", ghostMoney == 0, ghostMoney + " stuck");
    }
}
