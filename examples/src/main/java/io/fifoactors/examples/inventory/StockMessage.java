package io.fifoactors.examples.inventory;

/** Everything a product's stock actor accepts. */
public sealed interface StockMessage {
    /** Goods arriving. */
    record Arrival(String movementId, long quantity) implements StockMessage {
    }

    /** Goods leaving; with {@code waitMillis > 0} a departure short of stock waits that long for arrivals. */
    record Departure(String movementId, long quantity, long waitMillis) implements StockMessage {
    }
}
