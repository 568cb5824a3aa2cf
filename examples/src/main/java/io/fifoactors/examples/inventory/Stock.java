package io.fifoactors.examples.inventory;

/**
 * A product's stock: {@code quantity} never below zero, and always {@code arrived - departed}.
 *
 * <pre>{@code
 * Stock s = new Stock(5, 8, 3);   // 8 arrived, 3 departed, 5 in stock
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param quantity in stock now
 * @param arrived  total arrivals applied
 * @param departed total departures applied
 */
public record Stock(long quantity, long arrived, long departed) {
    /** No stock, nothing moved: the initial state. */
    public static final Stock EMPTY = new Stock(0, 0, 0);
}
