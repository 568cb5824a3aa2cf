package io.fifoactors.core;

/** An actor type or key that cannot be mapped to a mailbox group id. Terminal. Thread-safe. */
public final class InvalidActorIdException extends FifoActorsException {
    public InvalidActorIdException(String message) {
        super(message, false);
    }
}
