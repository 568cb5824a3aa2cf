package io.fifoactors.core;

/**
 * An actor record (state plus bookkeeping) over the store's item limit (DynamoDB: 400 KB). Terminal for the
 * write that caused it; thrown before anything is written. Thread-safe.
 */
public final class RecordTooLargeException extends FifoActorsException {
    private final long sizeBytes;
    private final long limitBytes;

    public RecordTooLargeException(ActorId actorId, long sizeBytes, long limitBytes) {
        super("record of " + actorId + " is " + sizeBytes + " bytes, over the limit of " + limitBytes + " bytes", false);
        this.sizeBytes = sizeBytes;
        this.limitBytes = limitBytes;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }
}
