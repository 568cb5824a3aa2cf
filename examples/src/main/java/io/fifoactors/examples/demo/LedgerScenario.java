package io.fifoactors.examples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.examples.ledger.Account;
import io.fifoactors.examples.ledger.Ledger;
import io.fifoactors.examples.ledger.LedgerTransaction;
import io.fifoactors.examples.ledger.LedgerTransaction.DepositTx;
import io.fifoactors.examples.ledger.LedgerWorkload;
import io.fifoactors.examples.ledger.LedgerTransaction.OpenTx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Accounts are opened, then receive random deposits and transfers (40% / 60%); a share of transfers waits for funds;
 * one in a hundred goes to an account that was never opened, whose credit is refused and refunded.
 */
final class LedgerScenario extends Scenario<LedgerTransaction, Account> {
    static final int GHOSTS = 10;

    @Override
    String name() {
        return "ledger";
    }

    @Override
    ActorType<Account, ?> type() {
        return Ledger.ACCOUNT;
    }

    @Override
    List<LedgerTransaction> generate(ScenarioConfig cfg, SplittableRandom random) {
        return LedgerWorkload.transactions(cfg.actors(), cfg.messages(), GHOSTS, cfg.deferShare(), MAX_WAIT, random);
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
    List<ActorId> actors(ScenarioConfig cfg) {
        return LedgerWorkload.accounts(cfg.actors(), GHOSTS);
    }

    @Override
    void domainChecks(Map<ActorId, ActorSnapshot<Account>> snapshots, List<LedgerTransaction> produced,
                      Set<String> deadIds, List<DeadLetter> dead, ScenarioReport report) {
        long balances = 0;
        long deposited = 0;
        long negative = 0;
        long ghostMoney = 0;
        for (ActorSnapshot<Account> s : snapshots.values()) {
            balances += s.state().balance();
            deposited += s.state().deposited();
            if (s.state().balance() < 0) {
                negative++;
            }
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
        long deadInFlight = moneyIn(dead);
        report.figure("money", String.format("%,d deposited, %,d in balances, %,d dead-lettered in flight",
                deposited, balances, deadInFlight));
        report.check(Check.of("G5 no balance below zero", negative == 0, negative + " negative balances"));
        report.check(Check.of("G5 money conserved: balances + dead-lettered in flight = deposits",
                balances + deadInFlight == deposited, balances + " + " + deadInFlight + " vs " + deposited));
        report.check(Check.of("G2 every deposit applied exactly once", deposited == expectedDeposits,
                deposited + " applied vs " + expectedDeposits + " produced"));
        report.check(Check.of("credits to unopened accounts refunded", ghostMoney == 0,
                ghostMoney + " stuck in unopened accounts"));
    }

    /** Money inside dead-lettered credits and refunds: sent by one account, not yet applied by another. */
    private static long moneyIn(List<DeadLetter> dead) {
        ObjectMapper json = new ObjectMapper();
        long sum = 0;
        for (DeadLetter d : dead) {
            String type = d.attributes().get(Envelope.TYPE);
            if (d.attributes().containsKey(Envelope.SENDER) && ("Credit".equals(type) || "Refund".equals(type))) {
                try {
                    sum += json.readTree(d.body()).get("amount").asLong();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return sum;
    }
}
