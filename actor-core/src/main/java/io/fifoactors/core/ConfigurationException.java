package io.fifoactors.core;

/** A builder or registry given incomplete or contradictory settings. Terminal. Thread-safe. */
public final class ConfigurationException extends FifoActorsException {
    public ConfigurationException(String message) {
        super(message, false);
    }
}
