package io.fifoactors.core.runtime;

import io.fifoactors.core.port.Delivery;

import java.util.List;
import java.util.Objects;

/**
 * The result of processing one delivered batch: the deliveries to acknowledge (applied, rejected, deferred,
 * duplicates, dead-lettered: all settled) and those to redeliver, each with why. {@code retries} obeys the FIFO
 * batch-failure rule: for each group, the first failed message and every later one of that group in the batch (the
 * later ones carry the first one's cause).
 *
 * <pre>{@code
 * BatchOutcome r = system.process(batch);
 * mailbox.acknowledge(r.succeeded());
 * if (r.infrastructureFailed()) backOff(); else mailbox.retryAfter(r.failed(), Duration.ofSeconds(1));
 * }</pre>
 *
 * <p>Immutable.
 */
public record BatchOutcome(List<Delivery> succeeded, List<Retry> retries) {
    public BatchOutcome {
        succeeded = List.copyOf(succeeded);
        retries = List.copyOf(retries);
    }

    /** One delivery to redeliver and why. */
    public record Retry(Delivery delivery, RetryCause cause) {
        public Retry {
            Objects.requireNonNull(delivery, "delivery");
            Objects.requireNonNull(cause, "cause");
        }
    }

    /** Why a delivery is to be redelivered. */
    public enum RetryCause {
        /** Its handler failed and may succeed on a later attempt (counted in the actor's record). */
        HANDLER_FAILED,
        /** Its handler ran past the actor type's time limit (counted as a failed attempt). */
        HANDLER_TIMEOUT,
        /** A store, mailbox or scheduler call failed: not the message's fault, not counted; back off. */
        INFRASTRUCTURE,
        /** The actor's commits lost too many races in a row with other consumers. */
        CONTENTION,
        /** The batch's start deadline passed before its group started. */
        NOT_STARTED,
        /** Its group was still running at the batch's answer deadline. */
        ABANDONED
    }

    /** The deliveries to redeliver, in batch order. */
    public List<Delivery> failed() {
        return retries.stream().map(Retry::delivery).toList();
    }

    /** Whether any delivery is retried because a port failed (the consumer should back off). */
    public boolean infrastructureFailed() {
        return retries.stream().anyMatch(r -> r.cause() == RetryCause.INFRASTRUCTURE);
    }

    /** The deliveries retried with {@code cause}. */
    public List<Delivery> retriedFor(RetryCause cause) {
        return retries.stream().filter(r -> r.cause() == cause).map(Retry::delivery).toList();
    }
}
