package io.fifoactors.core;

/**
 * Root of every exception this library throws. Unchecked; {@link #isRetryable()} tells a caller whether the same
 * operation may succeed if tried again (a throttled request, a lost race) or never will (bad input, a size limit).
 *
 * <p>Messages never contain message payloads or state, only identifiers and sizes.
 *
 * <pre>{@code
 * try { store.commit(id, 3, next); }
 * catch (FifoActorsException e) { if (e.isRetryable()) retryLater(); else deadLetter(e.getMessage()); }
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public abstract class FifoActorsException extends RuntimeException {
    private final boolean retryable;

    protected FifoActorsException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    protected FifoActorsException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** True when the same operation may succeed if tried again. */
    public final boolean isRetryable() {
        return retryable;
    }
}
