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

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** Products receive random arrivals and departures (half each); a share of departures waits for stock. */
public final class InventoryScenario extends Scenario<StockMovement, Stock> {
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
        DomainChecks.inventory(snapshots.values(), produced, deadIds, report);
    }
}
