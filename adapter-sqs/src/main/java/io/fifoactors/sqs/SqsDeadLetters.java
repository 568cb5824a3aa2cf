package io.fifoactors.sqs;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.port.MailboxLimits;
import io.fifoactors.sqswire.DeadLetterEnvelope;
import io.fifoactors.sqswire.EncodedMessage;
import io.fifoactors.sqswire.StoredLetter;
import io.fifoactors.sqswire.WireMessage;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads a mailbox's dead-letter queue for tools (the operator CLI, tests): letters with their reasons, reassembled
 * from the {@code DeadLetterEnvelope} that {@link SqsMailbox#deadLetter} writes (a copy with its reason, or a note
 * and then the copy), and messages the queue's redrive policy moved there (no reason). Letters received are held in
 * flight for the visibility given; then {@link #moveBack} them to the mailbox queue, {@link #delete} them, or
 * {@link #release} them.
 *
 * <pre>{@code
 * SqsDeadLetters dlq = SqsDeadLetters.builder().client(sqs).queues(queues).build();
 * List<StoredLetter> letters = dlq.receive(10, Duration.ofMinutes(5), Duration.ofSeconds(1));
 * letters.forEach(l -> System.out.println(l.groupId() + " " + l.messageId() + ": " + l.reason()));
 * dlq.moveBack(letters);
 * }</pre>
 *
 * <p>Moving back sends each letter's copy (body and attributes exactly as they travel, so an authenticated
 * envelope stays valid) to the mailbox queue, in order within each group, with a deduplication id derived from the
 * copy's place in the dead-letter queue: never dropped as a duplicate of the original, while a repeated move of the
 * same copy (a tool that died before deleting it) is. The runtime sees a moved message as a new message (a new
 * sequence number). A FIFO dead-letter queue hands out a group's next letters only once the earlier ones left it, so
 * one receive holds at most ten letters of a group; moving or deleting them lets the next ones come.
 *
 * <p>Thread-safe: it keeps no mutable state; the client is the caller's and is never closed.
 */
public final class SqsDeadLetters {
    private final SqsClient client;
    private final String queueUrl;
    private final String deadLetterQueueUrl;
    private final Clock clock;
    private final Duration orphanAfter;
    private final BatchRunner batches;

    private SqsDeadLetters(Builder b) {
        this.client = b.client;
        this.queueUrl = b.queueUrl;
        this.deadLetterQueueUrl = b.deadLetterQueueUrl;
        this.clock = b.clock;
        this.orphanAfter = b.orphanAfter;
        this.batches = new BatchRunner(b.client, 3, Duration.ofMillis(50), Sleeper.REAL);
    }

    /** A new builder; {@code client} and the two queue URLs are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Receives up to {@code max} (1 to 10) dead-letter queue messages and returns the letters they hold, holding
     * them in flight for {@code visibility}. A note whose copy was not in the same receive is made visible again
     * (it comes back with its copy); an orphan note (its copy never followed) is deleted.
     */
    public List<StoredLetter> receive(int max, Duration visibility, Duration waitTime) {
        if (max < 1 || max > 10) {
            throw new IllegalArgumentException("max must be 1 to 10, was " + max);
        }
        int vis = (int) MailboxLimits.wholeSeconds("visibility", visibility, 0, MailboxLimits.MAX_VISIBILITY_SECONDS);
        int wait = (int) Math.min(MailboxLimits.wholeSeconds("waitTime", waitTime, 0, Long.MAX_VALUE),
                SqsMailbox.MAX_WAIT_SECONDS);
        List<Message> messages;
        try {
            messages = client.receiveMessage(SqsMailbox.receiveRequest(deadLetterQueueUrl, max, vis, wait)).messages();
        } catch (SdkException e) {
            throw SqsErrors.map("ReceiveMessage", deadLetterQueueUrl, e);
        }
        List<WireMessage> wire = new ArrayList<>(messages.size());
        for (Message m : messages) {
            wire.add(SdkWire.toWire(m));
        }
        DeadLetterEnvelope.Read read = DeadLetterEnvelope.read(wire, clock.instant(), orphanAfter);
        if (!read.release().isEmpty()) {
            batches.changeVisibility(deadLetterQueueUrl, handles(read.release()), 0, i -> "a dead-letter note");
        }
        if (!read.discard().isEmpty()) {
            batches.delete(deadLetterQueueUrl, handles(read.discard()), i -> "an orphan dead-letter note");
        }
        return read.letters();
    }

    /**
     * Receives (short polls) until a receive brings nothing, holding every letter in flight for
     * {@code visibility}: the whole queue, but at most ten letters of a group (see the class comment).
     */
    public List<StoredLetter> receiveAll(Duration visibility) {
        List<StoredLetter> all = new ArrayList<>();
        for (int empty = 0; empty < 2; ) {
            List<StoredLetter> got = receive(10, visibility, Duration.ZERO);
            if (got.isEmpty()) {
                empty++;
            } else {
                all.addAll(got);
            }
        }
        return all;
    }

    /**
     * Moves the letters back to the mailbox queue (in their order within each group) and deletes them from the
     * dead-letter queue. Returns how many were moved.
     */
    public int moveBack(List<StoredLetter> letters) {
        Objects.requireNonNull(letters, "letters");
        List<EncodedMessage> moves = new ArrayList<>(letters.size());
        for (StoredLetter l : letters) {
            moves.add(DeadLetterEnvelope.moveBack(l));
        }
        batches.send(queueUrl, moves, true, null, i -> "dead letter " + letters.get(i).messageId());
        delete(letters);
        return letters.size();
    }

    /** Deletes the letters (copies and notes) from the dead-letter queue. */
    public void delete(List<StoredLetter> letters) {
        batches.delete(deadLetterQueueUrl, handles(parts(letters)), i -> "a dead letter");
    }

    /** Makes the letters visible again at once. */
    public void release(List<StoredLetter> letters) {
        batches.changeVisibility(deadLetterQueueUrl, handles(parts(letters)), 0, i -> "a dead letter");
    }

    private static List<WireMessage> parts(List<StoredLetter> letters) {
        List<WireMessage> out = new ArrayList<>();
        for (StoredLetter l : letters) {
            out.addAll(l.parts());
        }
        return out;
    }

    private static List<String> handles(List<WireMessage> messages) {
        List<String> out = new ArrayList<>(messages.size());
        for (WireMessage m : messages) {
            out.add(m.receiptHandle());
        }
        return out;
    }

    @Override
    public String toString() {
        return "SqsDeadLetters[" + deadLetterQueueUrl + " -> " + queueUrl + "]";
    }

    /**
     * Builds an {@link SqsDeadLetters}.
     *
     * <pre>{@code
     * SqsDeadLetters dlq = SqsDeadLetters.builder().client(sqs).queues(queues).build();
     * }</pre>
     *
     * <p>Not thread-safe; build on one thread.
     */
    public static final class Builder {
        private SqsClient client;
        private String queueUrl;
        private String deadLetterQueueUrl;
        private Clock clock = Clock.systemUTC();
        private Duration orphanAfter = Duration.ofMinutes(15);

        private Builder() {
        }

        /** The SQS client (required); never closed. */
        public Builder client(SqsClient client) {
            this.client = client;
            return this;
        }

        /** The mailbox queue (where letters move back to) and its dead-letter queue. */
        public Builder queues(SqsQueues queues) {
            Objects.requireNonNull(queues, "queues");
            this.queueUrl = queues.queueUrl();
            this.deadLetterQueueUrl = queues.deadLetterQueueUrl();
            return this;
        }

        /** The mailbox queue, where letters move back to. */
        public Builder queueUrl(String queueUrl) {
            this.queueUrl = queueUrl;
            return this;
        }

        /** The dead-letter queue. */
        public Builder deadLetterQueueUrl(String deadLetterQueueUrl) {
            this.deadLetterQueueUrl = deadLetterQueueUrl;
            return this;
        }

        /** The time source for telling orphan notes (default: the system clock). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * How old a note without its copy must be to count as an orphan (default 15 minutes; a sender retries a
         * dead letter long before that).
         */
        public Builder orphanAfter(Duration orphanAfter) {
            this.orphanAfter = orphanAfter;
            return this;
        }

        /**
         * The reader.
         *
         * @throws ConfigurationException if a setting is missing or invalid
         */
        public SqsDeadLetters build() {
            if (client == null || queueUrl == null || deadLetterQueueUrl == null || clock == null
                    || orphanAfter == null || orphanAfter.isNegative()) {
                throw new ConfigurationException("SqsDeadLetters.builder() needs client, queueUrl (or queues),"
                        + " deadLetterQueueUrl, a clock and a non-negative orphanAfter");
            }
            return new SqsDeadLetters(this);
        }
    }
}
