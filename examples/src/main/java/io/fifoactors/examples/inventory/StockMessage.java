package io.fifoactors.examples.inventory;

import java.util.Objects;

/**
 * Everything a product's stock actor accepts, from the inventory's producer.
 *
 * <pre>{@code
 * system.tell(Inventory.product("sku-1"), new Departure("mv-2", 3, 60_000), "mv-2");
 * }</pre>
 *
 * <p>Immutable records, thread-safe.
 */
public sealed interface StockMessage {
    /** Goods arriving. */
    record Arrival(String movementId, long quantity) implements StockMessage {
        public Arrival {
            Objects.requireNonNull(movementId, "movementId");
        }
    }

    /** Goods leaving; with {@code waitMillis > 0} a departure short of stock waits that long for arrivals. */
    record Departure(String movementId, long quantity, long waitMillis) implements StockMessage {
        public Departure {
            Objects.requireNonNull(movementId, "movementId");
        }
    }
}
