package io.fifoactors.core.runtime;

/**
 * Receives {@link Outcome}s and {@link RuntimeEvent}s, for logs and metrics. Called from the threads that process
 * groups, possibly concurrently, so implementations must be thread-safe and fast; an exception thrown here is
 * ignored.
 *
 * <pre>{@code
 * ActorSystem.builder()...listener(o -> counters.get(o.kind()).increment())
 * }</pre>
 */
@FunctionalInterface
public interface OutcomeListener {
    void onOutcome(Outcome outcome);

    /** An event about an actor's processing; ignored by default. */
    default void onEvent(RuntimeEvent event) {
    }

    /** Ignores everything. */
    OutcomeListener NONE = o -> { };
}
