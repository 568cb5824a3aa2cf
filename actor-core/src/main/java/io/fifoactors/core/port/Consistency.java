package io.fifoactors.core.port;

/**
 * How fresh a read of actor records must be. {@link #EVENTUAL} may return a record a recent commit has already
 * replaced (DynamoDB: an eventually consistent read, half the price of a strongly consistent one); the runtime uses it
 * only where a stale copy is caught by the next conditional commit.
 */
public enum Consistency {
    /** The latest committed record. */
    STRONG,
    /** A committed record, possibly not the latest. */
    EVENTUAL
}
