package io.fifoactors.examples.inventory;

/**
 * A product's stock: {@code quantity} never below zero, and always {@code arrived - departed}.
 */
public record Stock(long quantity, long arrived, long departed) {
    public static final Stock EMPTY = new Stock(0, 0, 0);
}
