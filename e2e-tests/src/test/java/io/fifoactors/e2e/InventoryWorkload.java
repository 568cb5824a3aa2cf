package io.fifoactors.e2e;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.examples.demo.DomainChecks;
import io.fifoactors.examples.demo.ScenarioReport;
import io.fifoactors.examples.inventory.Inventory;
import io.fifoactors.examples.inventory.Stock;
import io.fifoactors.examples.inventory.StockMovement;

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
        ScenarioReport report = new ScenarioReport("goods");
        DomainChecks.inventory(run.snapshots().values(), run.produced(), run.deadIds(), report);
        run.checks().add(report);
    }
}
