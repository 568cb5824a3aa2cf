package io.fifoactors.core.port;

import java.util.List;

/**
 * The carrier of timers: SQS FIFO queues have no per-message delay, so a message due later travels through a
 * scheduler and enters the mailbox when it is due (on AWS: a standard SQS queue with delays of up to 15 minutes,
 * hop by hop; in memory: the virtual clock). Delivery is at least once and never early; the mailbox's deduplication
 * and the actor's record drop repeated or stale firings.
 *
 * <pre>{@code
 * scheduler.schedule(List.of(new ScheduledMessage(message, dueAt)));
 * }</pre>
 *
 * <p>Implementations are thread-safe. Failures are {@code FifoActorsException}s, retryable or terminal.
 */
public interface Scheduler {
    /** Accepts the messages for delivery at their due times; returns once they are durably accepted. */
    void schedule(List<ScheduledMessage> messages);
}
