package io.fifoactors.examples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.Envelope;
import io.fifoactors.examples.inventory.Stock;
import io.fifoactors.examples.inventory.StockMovement;
import io.fifoactors.examples.inventory.StockMovement.ArrivalMv;
import io.fifoactors.examples.inventory.StockMovement.DepartureMv;
import io.fifoactors.examples.ledger.Account;
import io.fifoactors.examples.ledger.LedgerTransaction;
import io.fifoactors.examples.ledger.LedgerTransaction.DepositTx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The domain invariants of the ledger and the inventory (G5 and G2 on money and goods), checked from the actors'
 * records as stored, what was produced and what was dead-lettered; the one place they are written, used by the demo
 * in both modes and by the end-to-end tests.
 *
 * <pre>{@code
 * ScenarioReport report = new ScenarioReport("ledger");
 * DomainChecks.ledger(snapshots, produced, deadIds, deadLetters, report);
 * boolean ok = report.passed();
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class DomainChecks {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DomainChecks() {
    }

    /**
     * The ledger: no balance below zero; money conserved (balances plus money in dead-lettered credits and refunds
     * equal the deposits applied); every deposit produced (and not dead-lettered) applied exactly once; no money left
     * in accounts that were never opened. Adds a "money" figure and four checks.
     *
     * @param accounts every account the workload may have touched
     * @param produced the transactions produced intact (the malformed ones excluded)
     * @param deadIds  ids of the dead-lettered messages
     * @param dead     the dead letters (their attributes and bodies)
     */
    public static void ledger(Collection<ActorSnapshot<Account>> accounts, List<LedgerTransaction> produced,
                              Set<String> deadIds, List<DeadLetter> dead, ScenarioReport report) {
        long balances = 0;
        long deposited = 0;
        long negative = 0;
        long ghostMoney = 0;
        for (ActorSnapshot<Account> s : accounts) {
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
        long sum = 0;
        for (DeadLetter d : dead) {
            String type = d.attributes().get(Envelope.TYPE);
            if (d.attributes().containsKey(Envelope.SENDER) && ("Credit".equals(type) || "Refund".equals(type))) {
                try {
                    sum += JSON.readTree(d.body()).get("amount").asLong();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return sum;
    }

    /**
     * The inventory: no stock below zero; every product's stock equals its arrivals minus its departures; every
     * arrival produced (and not dead-lettered) applied exactly once; departures never exceed what was requested.
     * Adds a "goods" figure and four checks.
     *
     * @param products every product the workload may have touched
     * @param produced the movements produced intact (the malformed ones excluded)
     * @param deadIds  ids of the dead-lettered messages
     */
    public static void inventory(Collection<ActorSnapshot<Stock>> products, List<StockMovement> produced,
                                 Set<String> deadIds, ScenarioReport report) {
        long negative = 0;
        long inconsistent = 0;
        long arrived = 0;
        long departed = 0;
        for (ActorSnapshot<Stock> s : products) {
            Stock st = s.state();
            if (st.quantity() < 0) {
                negative++;
            }
            if (st.quantity() != st.arrived() - st.departed()) {
                inconsistent++;
            }
            arrived += st.arrived();
            departed += st.departed();
        }
        long expectedArrivals = 0;
        long requestedDepartures = 0;
        for (StockMovement mv : produced) {
            if (mv instanceof ArrivalMv a && !deadIds.contains(a.id())) {
                expectedArrivals += a.quantity();
            } else if (mv instanceof DepartureMv d && !deadIds.contains(d.id())) {
                requestedDepartures += d.quantity();
            }
        }
        report.figure("goods", String.format("%,d arrived, %,d departed of %,d requested, %,d in stock",
                arrived, departed, requestedDepartures, arrived - departed));
        report.check(Check.of("G5 no stock below zero", negative == 0, negative + " negative stocks"));
        report.check(Check.of("stock = arrivals - departures for every product", inconsistent == 0,
                inconsistent + " inconsistent products"));
        report.check(Check.of("G2 every arrival applied exactly once", arrived == expectedArrivals,
                arrived + " applied vs " + expectedArrivals + " produced"));
        report.check(Check.of("departures never exceed requests", departed <= requestedDepartures,
                departed + " departed of " + requestedDepartures + " requested"));
    }
}
