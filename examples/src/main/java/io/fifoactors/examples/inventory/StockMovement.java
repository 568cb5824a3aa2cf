package io.fifoactors.examples.inventory;

/**
 * A stock movement as the inventory's producer sees it, before {@link Inventory#ingress} sends it to its product, with
 * the producer's id (the mailbox drops a retry with the same id within its deduplication window).
 *
 * <pre>{@code
 * Inventory.ingress(system).submit(List.of(new ArrivalMv("mv-1", "sku-1", 5), new DepartureMv("mv-2", "sku-1", 2, 0)));
 * }</pre>
 *
 * <p>Immutable records, thread-safe.
 */
public sealed interface StockMovement {
    /** The producer's id of this movement: 1 to 128 printable ASCII characters, unique. */
    String id();

    /** The key of the product the movement is sent to. */
    String product();

    /** The product actor's message for this movement. */
    StockMessage toMessage();

    /** {@code quantity} of {@code product} arriving. */
    record ArrivalMv(String id, String product, long quantity) implements StockMovement {
        @Override
        public StockMessage toMessage() {
            return new StockMessage.Arrival(id, quantity);
        }
    }

    /** {@code quantity} of {@code product} leaving, waiting up to {@code waitMillis} for stock. */
    record DepartureMv(String id, String product, long quantity, long waitMillis) implements StockMovement {
        @Override
        public StockMessage toMessage() {
            return new StockMessage.Departure(id, quantity, waitMillis);
        }
    }
}
