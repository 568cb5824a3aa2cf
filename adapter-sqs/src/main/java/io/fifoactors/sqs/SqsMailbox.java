package io.fifoactors.sqs;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.FifoActorsException;
import io.fifoactors.core.port.DeadLetter;
import io.fifoactors.core.port.Delivery;
import io.fifoactors.core.port.Mailbox;
import io.fifoactors.core.port.MailboxLimits;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.core.port.RedrivePolicy;
import io.fifoactors.sqswire.DeadLetterEnvelope;
import io.fifoactors.sqswire.EncodedMessage;
import io.fifoactors.sqswire.SqsWire;
import io.fifoactors.sqswire.WireMessage;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A {@link Mailbox} on an SQS FIFO queue and its FIFO dead-letter queue, over an injected AWS SDK v2
 * {@code SqsClient}. The wire format is {@code io.fifoactors.sqswire.SqsWire}'s: the group id is the
 * MessageGroupId, the deduplication id is derived from group and message id (deduplication per group on any queue),
 * the message id travels in {@code fa-sqs-id}, bodies are text when SQS accepts them as text, else Base64.
 *
 * <pre>{@code
 * SqsQueues queues = SqsQueueProvisioner.builder().client(sqs).build().provision("accounts");
 * Mailbox mailbox = SqsMailbox.builder().client(sqs).queues(queues).build();
 * mailbox.send(List.of(new OutgoingMessage("account/a1", "m-1", Map.of("fa-type", "Deposit"), body)));
 * }</pre>
 *
 * <ul>
 *   <li>send: every message is checked ({@link MailboxLimits}) before anything is sent; SendMessageBatch requests
 *       carry at most one message per group (so a failed entry never lets a later one of its group pass it) and at
 *       most 256 KiB in total.</li>
 *   <li>acknowledge: DeleteMessageBatch; entries refused for a stale or expired receipt are returned.</li>
 *   <li>retryAfter / extendVisibility: ChangeMessageVisibilityBatch; a stale or expired receipt is ignored.</li>
 *   <li>deadLetter: {@code DeadLetterEnvelope}: the copy with its reason, or a note with the reason and then the
 *       verbatim copy when the reason does not fit (the dead-letter queue's MaximumMessageSize, SQS's 10
 *       attributes); read them back with {@link SqsDeadLetters}.</li>
 *   <li>redrivePolicy: the queue's RedrivePolicy attribute, read with GetQueueAttributes and re-read at most once
 *       per {@link Builder#settingsRefresh} (default 5 minutes) on the injected clock.</li>
 *   <li>receive: a dead-letter note that an operator moved into the queue with the rest of a dead-letter queue is
 *       deleted and not delivered (it is not a message).</li>
 * </ul>
 *
 * <p>Thread-safe: the settings cache is synchronized, everything else is stateless, and {@code SqsClient} is
 * thread-safe. It closes nothing: the client belongs to the caller.
 */
public final class SqsMailbox implements Mailbox {
    /** The longest long poll SQS accepts; longer waits are shortened to it. */
    static final long MAX_WAIT_SECONDS = 20;
    private static final List<MessageSystemAttributeName> SYSTEM_ATTRIBUTES = List.of(
            MessageSystemAttributeName.SEQUENCE_NUMBER,
            MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
            MessageSystemAttributeName.MESSAGE_GROUP_ID,
            MessageSystemAttributeName.SENT_TIMESTAMP,
            MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID);
    private static final String ALL_MESSAGE_ATTRIBUTES = "All";

    private final SqsClient client;
    private final String queueUrl;
    private final String deadLetterQueueUrl;
    private final BatchRunner batches;
    private final QueueSettings settings;

    private SqsMailbox(Builder b) {
        this.client = b.client;
        this.queueUrl = b.queueUrl;
        this.deadLetterQueueUrl = b.deadLetterQueueUrl;
        this.batches = new BatchRunner(b.client, b.maxSendRetries, b.retryBackoff, b.sleeper);
        this.settings = new QueueSettings(b.client, b.queueUrl, b.deadLetterQueueUrl, b.clock, b.settingsRefresh);
    }

    /** A new builder; {@code client}, {@code queueUrl} and {@code deadLetterQueueUrl} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The URL of the mailbox queue. */
    public String queueUrl() {
        return queueUrl;
    }

    /** The URL of the dead-letter queue. */
    public String deadLetterQueueUrl() {
        return deadLetterQueueUrl;
    }

    // ------------------------------------------------------------------------------------------------ send

    @Override
    public void send(List<OutgoingMessage> messages) {
        Objects.requireNonNull(messages, "messages");
        List<EncodedMessage> encoded = new ArrayList<>(messages.size());
        for (OutgoingMessage m : messages) {
            encoded.add(SqsWire.encode(Objects.requireNonNull(m, "message")));
        }
        batches.send(queueUrl, encoded, true, null, i -> "message " + messages.get(i).messageId());
    }

    // ------------------------------------------------------------------------------------------------ receive

    @Override
    public List<Delivery> receive(int maxMessages, Duration visibilityTimeout, Duration waitTime) {
        if (maxMessages < 1 || maxMessages > MAX_BATCH) {
            throw new IllegalArgumentException("maxMessages must be 1 to " + MAX_BATCH + ", was " + maxMessages);
        }
        int visibility = (int) MailboxLimits.wholeSeconds("visibilityTimeout", visibilityTimeout, 0,
                MailboxLimits.MAX_VISIBILITY_SECONDS);
        int wait = (int) Math.min(MailboxLimits.wholeSeconds("waitTime", waitTime, 0, Long.MAX_VALUE),
                MAX_WAIT_SECONDS);
        List<Message> messages;
        try {
            messages = client.receiveMessage(receiveRequest(queueUrl, maxMessages, visibility, wait)).messages();
        } catch (SdkException e) {
            throw SqsErrors.map("ReceiveMessage", queueUrl, e);
        }
        List<Delivery> out = new ArrayList<>(messages.size());
        List<String> notes = new ArrayList<>();
        for (Message m : messages) {
            WireMessage wire = SdkWire.toWire(m);
            if (SqsWire.isNote(wire)) {
                notes.add(m.receiptHandle());
            } else {
                out.add(SqsWire.toDelivery(wire));
            }
        }
        if (!notes.isEmpty()) {
            try {
                batches.delete(queueUrl, notes, i -> "a dead-letter note");
            } catch (FifoActorsException e) {
                // it comes back after its visibility timeout and is deleted then
            }
        }
        return out;
    }

    /**
     * The request for one receive. The attempt id makes the SDK's own retries of a lost response return the same
     * messages instead of leaving them invisible (and their groups blocked) until the visibility timeout.
     */
    static ReceiveMessageRequest receiveRequest(String url, int maxMessages, int visibilitySeconds, int waitSeconds) {
        return ReceiveMessageRequest.builder()
                .queueUrl(url)
                .maxNumberOfMessages(maxMessages)
                .visibilityTimeout(visibilitySeconds)
                .waitTimeSeconds(waitSeconds)
                .messageAttributeNames(ALL_MESSAGE_ATTRIBUTES)
                .messageSystemAttributeNames(SYSTEM_ATTRIBUTES)
                .receiveRequestAttemptId(UUID.randomUUID().toString())
                .build();
    }

    // ------------------------------------------------------------------------------------------------ acknowledge

    @Override
    public List<Delivery> acknowledge(List<Delivery> deliveries) {
        Objects.requireNonNull(deliveries, "deliveries");
        Set<Integer> stale = batches.delete(queueUrl, receipts(deliveries),
                i -> "message " + deliveries.get(i).messageId());
        List<Delivery> out = new ArrayList<>(stale.size());
        for (int i = 0; i < deliveries.size(); i++) {
            if (stale.contains(i)) {
                out.add(deliveries.get(i));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ visibility

    @Override
    public void retryAfter(List<Delivery> deliveries, Duration delay) {
        Objects.requireNonNull(deliveries, "deliveries");
        int seconds = (int) MailboxLimits.wholeSeconds("delay", delay, 0, MailboxLimits.MAX_VISIBILITY_SECONDS);
        batches.changeVisibility(queueUrl, receipts(deliveries), seconds,
                i -> "message " + deliveries.get(i).messageId());
    }

    @Override
    public void extendVisibility(List<Delivery> deliveries, Duration visibility) {
        Objects.requireNonNull(deliveries, "deliveries");
        int seconds = (int) MailboxLimits.wholeSeconds("visibility", visibility, 1,
                MailboxLimits.MAX_VISIBILITY_SECONDS);
        batches.changeVisibility(queueUrl, receipts(deliveries), seconds,
                i -> "message " + deliveries.get(i).messageId());
    }

    private static List<String> receipts(List<Delivery> deliveries) {
        List<String> out = new ArrayList<>(deliveries.size());
        for (Delivery d : deliveries) {
            out.add(Objects.requireNonNull(d, "delivery").receiptHandle());
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ dead letters

    @Override
    public void deadLetter(DeadLetter letter) {
        Objects.requireNonNull(letter, "letter");
        List<EncodedMessage> parts = DeadLetterEnvelope.encode(letter, settings.get().deadLetterMaxBytes());
        for (EncodedMessage part : parts) {
            try {
                client.sendMessage(SdkWire.request(deadLetterQueueUrl, part)); // in order: the note first
            } catch (SdkException e) {
                throw SqsErrors.map("SendMessage", deadLetterQueueUrl, e);
            }
        }
    }

    @Override
    public RedrivePolicy redrivePolicy() {
        return settings.get().redrivePolicy();
    }

    @Override
    public String toString() {
        return "SqsMailbox[" + queueUrl + ", dead letters " + deadLetterQueueUrl + "]";
    }

    /**
     * Builds an {@link SqsMailbox}.
     *
     * <pre>{@code
     * SqsMailbox mailbox = SqsMailbox.builder()
     *         .client(sqs)
     *         .queueUrl("https://sqs.eu-west-1.amazonaws.com/123456789012/accounts.fifo")
     *         .deadLetterQueueUrl("https://sqs.eu-west-1.amazonaws.com/123456789012/accounts-dlq.fifo")
     *         .build();
     * }</pre>
     *
     * <p>Not thread-safe; build on one thread.
     */
    public static final class Builder {
        private SqsClient client;
        private String queueUrl;
        private String deadLetterQueueUrl;
        private int maxSendRetries = 3;
        private Duration retryBackoff = Duration.ofMillis(50);
        private Sleeper sleeper = Sleeper.REAL;
        private Clock clock = Clock.systemUTC();
        private Duration settingsRefresh = Duration.ofMinutes(5);

        private Builder() {
        }

        /** The SQS client to use (required). The mailbox never closes it. */
        public Builder client(SqsClient client) {
            this.client = client;
            return this;
        }

        /** The URL of the FIFO mailbox queue (required). */
        public Builder queueUrl(String queueUrl) {
            this.queueUrl = queueUrl;
            return this;
        }

        /** The URL of the FIFO dead-letter queue (required). */
        public Builder deadLetterQueueUrl(String deadLetterQueueUrl) {
            this.deadLetterQueueUrl = deadLetterQueueUrl;
            return this;
        }

        /** Both URLs from a provisioned pair of queues. */
        public Builder queues(SqsQueues queues) {
            Objects.requireNonNull(queues, "queues");
            this.queueUrl = queues.queueUrl();
            this.deadLetterQueueUrl = queues.deadLetterQueueUrl();
            return this;
        }

        /**
         * How many times a batch entry that failed for a passing reason is sent again before the operation fails
         * with a {@code TransientFailureException} (default 3; 0 means no retry). Applies to send, acknowledge,
         * retryAfter and extendVisibility. Whole requests are retried by the SDK's own retry policy.
         */
        public Builder maxSendRetries(int maxSendRetries) {
            this.maxSendRetries = maxSendRetries;
            return this;
        }

        /** The time source of the queue-attribute cache (default: the system clock). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * How long the queues' attributes (the redrive policy, the dead-letter queue's size limit) are kept before
         * they are read again (default 5 minutes; at least 1 second).
         */
        public Builder settingsRefresh(Duration settingsRefresh) {
            this.settingsRefresh = settingsRefresh;
            return this;
        }

        /** The first wait before retrying failed entries; it doubles with every retry, up to 2 s. */
        Builder retryBackoff(Duration retryBackoff) {
            this.retryBackoff = retryBackoff;
            return this;
        }

        Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        /**
         * The mailbox.
         *
         * @throws ConfigurationException if a required setting is missing or a setting is invalid
         */
        public SqsMailbox build() {
            List<String> missing = new ArrayList<>();
            if (client == null) {
                missing.add("client(SqsClient)");
            }
            if (queueUrl == null || queueUrl.isBlank()) {
                missing.add("queueUrl(String)");
            }
            if (deadLetterQueueUrl == null || deadLetterQueueUrl.isBlank()) {
                missing.add("deadLetterQueueUrl(String)");
            }
            if (!missing.isEmpty()) {
                throw new ConfigurationException("SqsMailbox.builder() is missing " + String.join(", ", missing));
            }
            SqsQueueProvisioner.requireFifo("SqsMailbox", "queue", "queueUrl", queueUrl);
            SqsQueueProvisioner.requireFifo("SqsMailbox", "dead-letter queue", "deadLetterQueueUrl",
                    deadLetterQueueUrl);
            if (queueUrl.equals(deadLetterQueueUrl)) {
                throw new ConfigurationException("SqsMailbox queueUrl and deadLetterQueueUrl are the same queue: "
                        + queueUrl);
            }
            BatchRunner.checkRetries("SqsMailbox maxSendRetries", maxSendRetries);
            if (retryBackoff == null || retryBackoff.isNegative()) {
                throw new ConfigurationException("SqsMailbox retryBackoff must be zero or positive");
            }
            if (sleeper == null || clock == null) {
                throw new ConfigurationException("SqsMailbox sleeper and clock must not be null");
            }
            if (settingsRefresh == null || settingsRefresh.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new ConfigurationException("SqsMailbox settingsRefresh must be at least 1 second, was "
                        + settingsRefresh);
            }
            return new SqsMailbox(this);
        }
    }
}
