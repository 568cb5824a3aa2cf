package io.fifoactors.e2e;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.examples.demo.DomainChecks;
import io.fifoactors.examples.demo.ScenarioReport;
import io.fifoactors.examples.demo.aws.QueueProbe;
import io.fifoactors.examples.ledger.Account;
import io.fifoactors.examples.ledger.Ledger;
import io.fifoactors.examples.ledger.LedgerTransaction;
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

    /** G5 and G2 for money, as the demo checks them ({@link DomainChecks#ledger}). */
    static void checkMoney(Collection<ActorSnapshot<Account>> snapshots, List<LedgerTransaction> produced,
                           Set<String> deadIds, List<QueueProbe.Dead> dead, Checks checks) {
        ScenarioReport report = new ScenarioReport("money");
        DomainChecks.ledger(snapshots, produced, deadIds, dead.stream().map(QueueProbe.Dead::toDeadLetter).toList(),
                report);
        checks.add(report);
    }
}
