package io.fifoactors.core.port;

import java.time.Duration;
import java.util.List;

/**
 * An actor mailbox with SQS FIFO semantics; one group per actor. The full contract is in docs/semantics.md and is
 * checked for every adapter by the shared contract suite. In short:
 * <ul>
 *   <li>{@link #send}: messages of one group are enqueued in list order, and if one fails no later message of that
 *       group from the same call is enqueued ahead of it. A message whose id was already enqueued within the
 *       deduplication window (5 minutes) is accepted and dropped, also after the first one was deleted.</li>
 *   <li>{@link #receive}: at most 10 messages, possibly from several groups, each group's in order. A group with a
 *       message in flight (received, neither acknowledged nor visible again) delivers nothing else. A received
 *       message is invisible for the visibility timeout and then redelivered, before any later message of its
 *       group, with a higher receive count.</li>
 *   <li>{@link #acknowledge} deletes; {@link #release} makes messages visible again after a delay;
 *       {@link #deadLetter} puts a copy on the dead-letter queue with its reason (the caller then acknowledges the
 *       original). Independently, a message received more often than the queue's maxReceiveCount is moved to the
 *       dead-letter queue by the mailbox itself.</li>
 * </ul>
 *
 * <pre>{@code
 * mailbox.send(List.of(new OutgoingMessage("account/a1", "m-1", attrs, body)));
 * List<Delivery> batch = mailbox.receive(10, Duration.ofSeconds(30), Duration.ofSeconds(1));
 * mailbox.acknowledge(batch);
 * }</pre>
 *
 * <p>Implementations are thread-safe. Failures are {@code FifoActorsException}s: retryable ones
 * ({@code TransientFailureException}) and terminal ones ({@code MessageTooLargeException},
 * {@code PermanentFailureException}).
 */
public interface Mailbox {
    /** The most messages one receive returns. */
    int MAX_BATCH = 10;

    /**
     * The largest message every mailbox accepts, as {@link #sizeOf} counts it: SQS's 256 KiB less 2 KiB that an
     * adapter may add on the wire (its own attributes). A message within this limit and with a UTF-8 text body fits
     * every adapter; a binary body may be refused by an adapter that must encode it (SQS: Base64).
     */
    long MAX_MESSAGE_BYTES = 262_144 - 2_048;

    /** The most attributes a message may carry (SQS allows 10; adapters keep 3 for themselves). */
    int MAX_ATTRIBUTES = 7;

    /**
     * A message's size as SQS counts it: the body plus, per attribute, the UTF-8 bytes of its name, its data type
     * ("String") and its value. Every adapter refuses messages over {@link #MAX_MESSAGE_BYTES} by this measure.
     */
    static long sizeOf(OutgoingMessage m) {
        long size = m.body().length;
        for (java.util.Map.Entry<String, String> a : m.attributes().entrySet()) {
            size += a.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "String".length()
                    + a.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        return size;
    }

    /** Enqueues the messages (any number; adapters split into requests). */
    void send(List<OutgoingMessage> messages);

    /**
     * Receives up to {@code maxMessages} (1 to 10) messages, waiting up to {@code waitTime} for the first one.
     * Returns an empty list when none is visible.
     */
    List<Delivery> receive(int maxMessages, Duration visibilityTimeout, Duration waitTime);

    /**
     * Deletes the delivered messages. Returns the ones that could not be deleted because their receipt is no longer
     * valid (another receive took the message over); those are not errors for an idempotent consumer.
     */
    List<Delivery> acknowledge(List<Delivery> deliveries);

    /** Makes the messages visible again after {@code delay} (zero: now). A stale receipt is ignored. */
    void release(List<Delivery> deliveries, Duration delay);

    /** Puts a copy of the message with its reason on the dead-letter queue. Does not delete the original. */
    void deadLetter(DeadLetter letter);
}
