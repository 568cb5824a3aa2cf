package io.fifoactors.examples.demo;

import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorRef;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.examples.inventory.Inventory;
import io.fifoactors.examples.inventory.InventoryWorkload;
import io.fifoactors.examples.inventory.StockMovement;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Products receive random arrivals and departures (half each); a share of departures waits for stock (deferred, until
 * an arrival covers it or the deadline's timer fires).
 */
public final class InventoryScenario extends Scenario<StockMovement> {
    @Override
    String name() {
        return "inventory";
    }

    @Override
    List<ActorType<?, ?>> types() {
        return List.of(Inventory.PRODUCT);
    }

    @Override
    List<StockMovement> generate(ScenarioConfig cfg, boolean realTime, SplittableRandom random) {
        return InventoryWorkload.movements(cfg.actors(), cfg.messages(), cfg.deferShare(), deferWait(realTime),
                random);
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
        return Inventory.product(record.product()).id();
    }

    @Override
    List<ActorRef<?>> actors(ScenarioConfig cfg) {
        return List.copyOf(InventoryWorkload.products(cfg.actors()));
    }

    @Override
    void domainChecks(Snapshots snapshots, List<StockMovement> produced, Set<String> deadIds,
                      List<DeadLetter> dead, ScenarioReport report) {
        DomainChecks.inventory(snapshots.of(Inventory.PRODUCT), produced, deadIds, report);
    }
}
