package io.fifoactors.core.runtime;

import io.fifoactors.core.port.Delivery;

import java.util.List;

/**
 * The result of processing one delivered batch: the deliveries to acknowledge (applied, rejected, deferred,
 * duplicates, dead-lettered: all settled) and those to release for redelivery. {@code failed} obeys the FIFO
 * batch-failure rule: for each group, the first failed message and every later one of that group in the batch.
 * {@code notStarted} and {@code abandoned} are the failed deliveries of groups that a deadline of
 * {@link ActorSystem#process(List, java.time.Instant, java.time.Instant)} kept from starting or cut short.
 *
 * <pre>{@code
 * BatchOutcome r = system.process(batch);
 * mailbox.acknowledge(r.succeeded());
 * mailbox.release(r.failed(), Duration.ZERO);
 * }</pre>
 *
 * <p>Immutable.
 */
public record BatchOutcome(List<Delivery> succeeded, List<Delivery> failed, List<Delivery> notStarted,
                           List<Delivery> abandoned) {
    public BatchOutcome {
        succeeded = List.copyOf(succeeded);
        failed = List.copyOf(failed);
        notStarted = List.copyOf(notStarted);
        abandoned = List.copyOf(abandoned);
    }

    /** An outcome without deadlines. */
    public BatchOutcome(List<Delivery> succeeded, List<Delivery> failed) {
        this(succeeded, failed, List.of(), List.of());
    }
}
