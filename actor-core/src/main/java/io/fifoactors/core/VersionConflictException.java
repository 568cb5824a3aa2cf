package io.fifoactors.core;

/**
 * A conditional commit lost: the stored record's version was not the expected one, because another consumer
 * committed first. Retryable: reload and decide again. Thread-safe.
 */
public final class VersionConflictException extends FifoActorsException {
    private final ActorId actorId;
    private final long expectedVersion;

    public VersionConflictException(ActorId actorId, long expectedVersion) {
        super("version conflict on " + actorId + ": expected version " + expectedVersion, true);
        this.actorId = actorId;
        this.expectedVersion = expectedVersion;
    }

    public ActorId actorId() {
        return actorId;
    }

    public long expectedVersion() {
        return expectedVersion;
    }
}
