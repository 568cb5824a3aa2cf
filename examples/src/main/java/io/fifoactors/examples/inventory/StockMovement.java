package io.fifoactors.examples.inventory;

/** A stock movement as the inventory's producer sees it, before ingress routes it to a product. */
public sealed interface StockMovement {
    String id();

    String product();

    StockMessage toMessage();

    record ArrivalMv(String id, String product, long quantity) implements StockMovement {
        @Override
        public StockMessage toMessage() {
            return new StockMessage.Arrival(id, quantity);
        }
    }

    record DepartureMv(String id, String product, long quantity, long waitMillis) implements StockMovement {
        @Override
        public StockMessage toMessage() {
            return new StockMessage.Departure(id, quantity, waitMillis);
        }
    }
}
