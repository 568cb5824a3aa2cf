package io.fifoactors.examples.demo;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.examples.ledger.Ledger;
import io.fifoactors.examples.ledger.LedgerTransaction;
import io.fifoactors.examples.ledger.LedgerTransaction.OpenTx;
import io.fifoactors.examples.ledger.LedgerWorkload;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Accounts are opened, then receive random deposits and transfers (40% / 60%); a share of transfers waits for funds
 * (deferred, until a credit arrives or the deadline's timer fires); one in a hundred goes to an account that was never
 * opened, whose credit is refused and refunded.
 */
public final class LedgerScenario extends Scenario<LedgerTransaction> {
    static final int GHOSTS = 10;

    @Override
    String name() {
        return "ledger";
    }

    @Override
    List<ActorType<?, ?>> types() {
        return List.of(Ledger.ACCOUNT);
    }

    @Override
    List<LedgerTransaction> generate(ScenarioConfig cfg, boolean realTime, SplittableRandom random) {
        return LedgerWorkload.transactions(cfg.actors(), cfg.messages(), GHOSTS, cfg.deferShare(),
                deferWait(realTime), random);
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
        return Ledger.account(record.account()).id();
    }

    @Override
    List<ActorRef<?>> actors(ScenarioConfig cfg) {
        return List.copyOf(LedgerWorkload.accounts(cfg.actors(), GHOSTS));
    }

    @Override
    void domainChecks(Snapshots snapshots, List<LedgerTransaction> produced, Set<String> deadIds,
                      List<DeadLetter> dead, ScenarioReport report) {
        DomainChecks.ledger(snapshots.of(Ledger.ACCOUNT), produced, deadIds, dead, report);
    }
}
