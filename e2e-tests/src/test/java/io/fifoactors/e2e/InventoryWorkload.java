package io.fifoactors.e2e;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.runtime.ActorSnapshot;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.examples.inventory.Inventory;
import io.fifoactors.examples.inventory.Stock;
import io.fifoactors.examples.inventory.StockMovement;
import io.fifoactors.examples.inventory.StockMovement.ArrivalMv;
import io.fifoactors.examples.inventory.StockMovement.DepartureMv;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The inventory workload: random arrivals and departures (half each); a share of departures waits for stock. */
final class InventoryWorkload extends PollerScenario<StockMovement, Stock> {
    @Override
    String name() {
        return "inventory";
    }

    @Override
    ActorType<Stock, ?> type() {
        return Inventory.PRODUCT;
    }

    @Override
    List<StockMovement> generate(Config cfg, SplittableRandom random) {
        return io.fifoactors.examples.inventory.InventoryWorkload.movements(cfg.actors(), cfg.messages(),
                cfg.deferShare(), MAX_WAIT, random);
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
    List<ActorId> actors(Config cfg) {
        return io.fifoactors.examples.inventory.InventoryWorkload.products(cfg.actors());
    }

    @Override
    void domainChecks(Run<StockMovement, Stock> run) {
        long negative = 0;
        long inconsistent = 0;
        long arrived = 0;
        long departed = 0;
        for (ActorSnapshot<Stock> s : run.snapshots().values()) {
            Stock st = s.state();
            negative += st.quantity() < 0 ? 1 : 0;
            inconsistent += st.quantity() != st.arrived() - st.departed() ? 1 : 0;
            arrived += st.arrived();
            departed += st.departed();
        }
        long expectedArrivals = 0;
        long requestedDepartures = 0;
        for (StockMovement mv : run.produced()) {
            if (mv instanceof ArrivalMv a && !run.deadIds().contains(a.id())) {
                expectedArrivals += a.quantity();
            } else if (mv instanceof DepartureMv d && !run.deadIds().contains(d.id())) {
                requestedDepartures += d.quantity();
            }
        }
        Checks checks = run.checks();
        checks.figure("goods", String.format("%,d arrived, %,d departed of %,d requested, %,d in stock",
                arrived, departed, requestedDepartures, arrived - departed));
        checks.check("G5 no stock below zero", negative == 0, negative + " negative stocks");
        checks.check("stock = arrived - departed for every product", inconsistent == 0,
                inconsistent + " inconsistent");
        checks.check("G2 arrivals applied = arrivals produced (each exactly once)", arrived == expectedArrivals,
                arrived + " applied vs " + expectedArrivals + " produced");
        checks.check("departures never exceed requests", departed <= requestedDepartures,
                departed + " of " + requestedDepartures);
    }
}
