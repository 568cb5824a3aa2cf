package io.fifoactors.core.port;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An actor mailbox with SQS FIFO semantics, as AWS documents them; one group per actor. The full contract is in
 * docs/semantics.md and is checked for every adapter by the shared contract suite. In short:
 * <ul>
 *   <li>{@link #send}: messages of one group are enqueued in list order, and if one fails no later message of that
 *       group from the same call is enqueued ahead of it. A message whose id was already enqueued to the same group
 *       within the deduplication window (5 minutes) is accepted and dropped, also after the first one was
 *       deleted (deduplication is per message group: the same id in two groups gives two messages). Every message
 *       is checked against {@link MailboxLimits} before anything of the call is enqueued.</li>
 *   <li>{@link #receive}: at most 10 messages, possibly from several groups, each group's in order. A group with a
 *       message in flight (received, neither acknowledged nor visible again) delivers nothing else. A received
 *       message is invisible for the visibility timeout and then redelivered, before any later message of its
 *       group, with a higher receive count.</li>
 *   <li>{@link #acknowledge} deletes, unless the receipt is stale or has expired (then the message comes back);
 *       {@link #retryAfter} makes messages visible again after a delay; {@link #extendVisibility} keeps messages
 *       in flight longer; {@link #deadLetter} puts a copy on the dead-letter queue with its reason (the caller then
 *       acknowledges the original). A message is moved to the dead-letter queue by the mailbox itself only if its
 *       {@link #redrivePolicy()} says so.</li>
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
     * The largest message every mailbox accepts from {@link #send}, as {@link #sizeOf} counts it: SQS's default
     * MaximumMessageSize (256 KiB) less 2 KiB that an adapter may add on the wire (its own attributes). It is the
     * same for every mailbox, whatever size a particular queue would take (SQS queues can be raised to 1 MiB): what
     * fits one mailbox fits all. A mailbox refuses a larger message with {@code MessageTooLargeException} before
     * anything of the call is enqueued. Dead-letter queues take more (SQS: 1 MiB), so that every message a queue
     * can hold can be dead-lettered with its reason.
     */
    long MAX_MESSAGE_BYTES = 262_144 - 2_048;

    /** The most attributes a message may carry (SQS allows 10; adapters keep 3 for themselves). */
    int MAX_ATTRIBUTES = 7;

    /** The longest retry delay or visibility timeout (SQS: 12 hours). */
    Duration MAX_VISIBILITY = Duration.ofHours(12);

    /**
     * A message's size as SQS counts it, the same for every mailbox: the body as SQS carries it (SQS carries text
     * only: a body that is not UTF-8 text of characters SQS accepts counts as its Base64 form, a third larger) plus,
     * per attribute, the UTF-8 bytes of its name, its data type ("String") and its value. See
     * {@link MailboxLimits} for the other rules every mailbox applies.
     */
    static long sizeOf(OutgoingMessage m) {
        long size = MailboxLimits.bodySize(m.body());
        for (Map.Entry<String, String> a : m.attributes().entrySet()) {
            size += MailboxLimits.utf8Length(a.getKey()) + "String".length() + MailboxLimits.utf8Length(a.getValue());
        }
        return size;
    }

    /** Enqueues the messages (any number; adapters split into requests). */
    void send(List<OutgoingMessage> messages);

    /**
     * Receives up to {@code maxMessages} (1 to 10) messages, waiting up to {@code waitTime} for the first one.
     * Returns an empty list when none is visible. Visibility is counted in whole seconds, as SQS does (a fraction is
     * rounded up); it must be 0 to 12 hours, else {@code IllegalArgumentException}. The wait is whole seconds too,
     * at most 20 (SQS's longest long poll; a longer wait is shortened to it).
     */
    List<Delivery> receive(int maxMessages, Duration visibilityTimeout, Duration waitTime);

    /**
     * Deletes the delivered messages. Returns the ones that were not deleted because their receipt is no longer
     * valid: another receive took the message over, or its visibility timeout expired (SQS FIFO refuses an expired
     * receipt); those messages come back and are not errors for an idempotent consumer.
     */
    List<Delivery> acknowledge(List<Delivery> deliveries);

    /**
     * Makes the messages visible again after {@code delay} (zero: now; whole seconds, 0 to 12 hours), for a retry.
     * A stale or expired receipt is ignored.
     */
    void retryAfter(List<Delivery> deliveries, Duration delay);

    /**
     * Keeps the messages invisible for {@code visibility} from now (whole seconds, 1 s to 12 hours), for a consumer
     * still working on them. A stale or expired receipt is ignored: the message may already be with another
     * consumer, and nothing is changed. As on SQS, a message stays invisible at most 12 hours after the receive
     * that returned it: asking for more fails with {@code PermanentFailureException}.
     */
    void extendVisibility(List<Delivery> deliveries, Duration visibility);

    /**
     * Puts a copy of the message with its reason on the dead-letter queue. Does not delete the original. Every
     * letter made from a received delivery can be sent, whatever its size and attributes (an adapter that cannot
     * add the reason to the copy sends it beside it). Deduplicated by {@link DeadLetter#deadLetterId()}.
     */
    void deadLetter(DeadLetter letter);

    /** What the queue does by itself with a message received too often. */
    RedrivePolicy redrivePolicy();
}
