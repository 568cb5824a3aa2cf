package io.fifoactors.core;

/**
 * A store or mailbox call that will not succeed if repeated (missing table or queue, access denied, a request the
 * service rejects as invalid). Terminal. Thread-safe.
 */
public final class PermanentFailureException extends FifoActorsException {
    public PermanentFailureException(String message) {
        super(message, false);
    }

    public PermanentFailureException(String message, Throwable cause) {
        super(message, false, cause);
    }
}
