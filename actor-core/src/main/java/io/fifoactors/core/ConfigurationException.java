package io.fifoactors.core;

/** A builder or registry given incomplete or contradictory settings. Terminal. Thread-safe. */
public final class ConfigurationException extends FifoActorsException {
    public ConfigurationException(String message) {
        super(message, false);
    }

    /** Returns {@code value} if it lies in {@code [min, max]}, else throws naming the setting and the range. */
    public static int requireBetween(String setting, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigurationException(setting + " must be " + min + " to " + max + ", was " + value);
        }
        return value;
    }
}
