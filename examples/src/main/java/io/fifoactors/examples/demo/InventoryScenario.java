package io.fifoactors.examples.demo;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.examples.inventory.Inventory;
import io.fifoactors.examples.inventory.InventoryWorkload;
import io.fifoactors.examples.inventory.Stock;
import io.fifoactors.examples.inventory.StockMovement;
import io.fifoactors.examples.inventory.StockMovement.ArrivalMv;
import io.fifoactors.examples.inventory.StockMovement.DepartureMv;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** Products receive random arrivals and departures (half each); a share of departures waits for stock. */
final class InventoryScenario extends Scenario<StockMovement, Stock> {
    @Override
    String name() {
        return "inventory";
    }

    @Override
    ActorType<Stock, ?> type() {
        return Inventory.PRODUCT;
    }

    @Override
    List<StockMovement> generate(ScenarioConfig cfg, SplittableRandom random) {
        return InventoryWorkload.movements(cfg.actors(), cfg.messages(), cfg.deferShare(), MAX_WAIT, random);
    }

    @Override
    Ingress<StockMovement> ingress(ActorSystem system) {
        return Inventory.ingress(system);
    }

    @Override
    String idOf(StockMovement record) {
        return record.id();
    }

    @Override
    ActorId targetOf(StockMovement record) {
        return Inventory.product(record.product());
    }

    @Override
    List<ActorId> actors(ScenarioConfig cfg) {
        return InventoryWorkload.products(cfg.actors());
    }

    @Override
    void domainChecks(Map<ActorId, ActorSnapshot<Stock>> snapshots, List<StockMovement> produced,
                      Set<String> deadIds, List<DeadLetter> dead, ScenarioReport report) {
        long negative = 0;
        long inconsistent = 0;
        long arrived = 0;
        long departed = 0;
        for (ActorSnapshot<Stock> s : snapshots.values()) {
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
