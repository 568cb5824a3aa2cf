package io.fifoactors.examples.inventory;

import io.fifoactors.core.ActorContext;
import io.fifoactors.core.ActorRef;
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
 * cover it (or its deadline passes). Invariants, checked by the property tests under faults: stock never below zero
 * and always arrivals minus departures; no overflow (an arrival that would overflow the stock or the arrivals total
 * is rejected with {@link #ARRIVAL_TOO_LARGE}); every arrival applied once.
 *
 * <pre>{@code
 * system.tell(Inventory.product("sku-1"), new Arrival("mv-1", 5), "mv-1");
 * Inventory.ingress(system).submit(List.of(new DepartureMv("mv-2", "sku-1", 3, 0), new ArrivalMv("mv-3", "sku-1", 2)));
 * }</pre>
 *
 * <p>Stateless and thread-safe: the handlers are pure functions of the state, the message and the context.
 */
public final class Inventory {
    /** The longest a departure may wait for stock. */
    public static final Duration MAX_WAIT = Duration.ofDays(1);

    // Rejection reasons: kept with the actor (ActorSnapshot.recentRejections) for people to read; words, never
    // amounts or other payload, so that a record holds no customer data; at most 64 characters, which is all a
    // record keeps of a reason.
    public static final String ARRIVAL_NOT_POSITIVE = "arrival quantity must be positive";
    public static final String ARRIVAL_TOO_LARGE = "arrival too large: stock or arrivals total would overflow";
    public static final String DEPARTURE_NOT_POSITIVE = "departure quantity must be positive";
    public static final String WAIT_OUT_OF_RANGE = "wait must be between 0 and " + MAX_WAIT.toMillis() + " ms";
    public static final String INSUFFICIENT_STOCK = "insufficient stock";

    /** The product actor type. */
    public static final ActorType<Stock, StockMessage> PRODUCT =
            ActorType.builder("product", Stock.class, StockMessage.class)
                    .initialState(id -> Stock.EMPTY)
                    .on(Arrival.class, (s, a, ctx) -> arrival(s, a))
                    .on(Departure.class, Inventory::departure)
                    .stashCapacity(64)
                    .build();

    /** Ingress order within a batch: arrivals before departures (each stable). */
    public static final OrderingRule<StockMovement> INGRESS_ORDER =
            OrderingRule.byClass(List.of(StockMovement.ArrivalMv.class, StockMovement.DepartureMv.class));

    private Inventory() {
    }

    /** The product with this key. */
    public static ActorRef<StockMessage> product(String key) {
        return PRODUCT.ref(key);
    }

    /** The inventory's ingress: ordered by {@link #INGRESS_ORDER}, sent to each movement's product, deduplicated by id. */
    public static Ingress<StockMovement> ingress(ActorSystem system) {
        return Ingress.builder(system, StockMovement.class)
                .order(INGRESS_ORDER)
                .send(mv -> product(mv.product()).tell(mv.toMessage()))
                .messageId(StockMovement::id)
                .build();
    }

    private static Effect<Stock> arrival(Stock s, Arrival a) {
        if (a.quantity() <= 0) {
            return Effect.reject(ARRIVAL_NOT_POSITIVE);
        }
        try {
            return Effect.persist(new Stock(Math.addExact(s.quantity(), a.quantity()),
                    Math.addExact(s.arrived(), a.quantity()), s.departed()));
        } catch (ArithmeticException overflow) {
            return Effect.reject(ARRIVAL_TOO_LARGE);
        }
    }

    private static Effect<Stock> departure(Stock s, Departure d, ActorContext<StockMessage> ctx) {
        if (d.quantity() <= 0) {
            return Effect.reject(DEPARTURE_NOT_POSITIVE);
        }
        if (d.waitMillis() < 0 || d.waitMillis() > MAX_WAIT.toMillis()) {
            return Effect.reject(WAIT_OUT_OF_RANGE);
        }
        if (s.quantity() >= d.quantity()) {
            // departed <= arrived always holds (departed = arrived - quantity, quantity >= 0), so this addExact
            // cannot overflow; were the invariant broken, it would fail loudly instead of wrapping around
            return Effect.persist(new Stock(s.quantity() - d.quantity(), s.arrived(),
                    Math.addExact(s.departed(), d.quantity())));
        }
        return d.waitMillis() > 0
                // from the enqueue time, not now: a redelivered departure keeps the deadline it was given
                ? Effect.defer(ctx.metadata().enqueuedAt().plus(Duration.ofMillis(d.waitMillis())))
                : Effect.reject(INSUFFICIENT_STOCK);
    }
}
