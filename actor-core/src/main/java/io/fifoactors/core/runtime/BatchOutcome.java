package io.fifoactors.core.runtime;

import io.fifoactors.core.port.Delivery;

import java.util.List;

/**
 * The result of processing one delivered batch: the deliveries to acknowledge (applied, rejected, deferred,
 * duplicates, dead-lettered: all settled) and those to release for redelivery. {@code failed} obeys the FIFO
 * batch-failure rule: for each group, the first failed message and every later one of that group in the batch.
 *
 * <pre>{@code
 * BatchOutcome r = system.process(batch);
 * mailbox.acknowledge(r.succeeded());
 * mailbox.release(r.failed(), Duration.ZERO);
 * }</pre>
 */
public record BatchOutcome(List<Delivery> succeeded, List<Delivery> failed) {
    public BatchOutcome {
        succeeded = List.copyOf(succeeded);
        failed = List.copyOf(failed);
    }
}
