package io.fifoactors.examples.inventory;

import io.fifoactors.core.ActorContext;
import io.fifoactors.core.ActorId;
import io.fifoactors.core.ActorType;
import io.fifoactors.core.Effect;
import io.fifoactors.core.runtime.ActorSystem;
import io.fifoactors.core.runtime.Ingress;
import io.fifoactors.core.runtime.OrderingRule;
import io.fifoactors.examples.inventory.StockMessage.Arrival;
import io.fifoactors.examples.inventory.StockMessage.Departure;

import java.time.Duration;
import java.util.List;

/**
 * The inventory: one actor per product. A departure larger than the stock is rejected, or deferred until arrivals
 * cover it (or its deadline passes); stock never goes below zero.
 *
 * <pre>{@code
 * system.send(Inventory.product("sku-1"), new Arrival("mv-1", 5), "mv-1");
 * }</pre>
 */
public final class Inventory {
    /** The product actor type. */
    public static final ActorType<Stock, StockMessage> PRODUCT =
            ActorType.builder("product", Stock.class, StockMessage.class)
                    .initialState(id -> Stock.EMPTY)
                    .handler(Inventory::decide)
                    .stashCapacity(64)
                    .build();

    /** Ingress order within a batch: arrivals before departures (each stable). */
    public static final OrderingRule<StockMovement> INGRESS_ORDER =
            OrderingRule.byClass(List.of(StockMovement.ArrivalMv.class, StockMovement.DepartureMv.class));

    private Inventory() {
    }

    public static ActorId product(String key) {
        return PRODUCT.id(key);
    }

    /** The inventory's ingress: ordered by {@link #INGRESS_ORDER}, routed by product, deduplicated by movement id. */
    public static Ingress<StockMovement> ingress(ActorSystem system) {
        return Ingress.builder(system, StockMovement.class)
                .order(INGRESS_ORDER)
                .route(mv -> product(mv.product()))
                .message(StockMovement::toMessage)
                .messageId(StockMovement::id)
                .build();
    }

    static Effect<Stock> decide(Stock s, StockMessage message, ActorContext ctx) {
        if (message instanceof Arrival a) {
            return a.quantity() <= 0
                    ? Effect.reject("arrival quantity must be positive")
                    : Effect.persist(new Stock(s.quantity() + a.quantity(), s.arrived() + a.quantity(), s.departed()));
        }
        Departure d = (Departure) message;
        if (d.quantity() <= 0) {
            return Effect.reject("departure quantity must be positive");
        }
        if (s.quantity() >= d.quantity()) {
            return Effect.persist(new Stock(s.quantity() - d.quantity(), s.arrived(), s.departed() + d.quantity()));
        }
        return d.waitMillis() > 0
                ? Effect.defer(ctx.metadata().enqueuedAt().plus(Duration.ofMillis(d.waitMillis())))
                : Effect.reject("insufficient stock");
    }
}
