package io.fifoactors.core;

/**
 * A store or mailbox call that failed for a reason expected to pass (throttling, a timeout, a 5xx). Retryable.
 * Adapters map their SDK's retryable errors to this type. Thread-safe.
 */
public final class TransientFailureException extends FifoActorsException {
    public TransientFailureException(String message) {
        super(message, true);
    }

    public TransientFailureException(String message, Throwable cause) {
        super(message, true, cause);
    }
}
