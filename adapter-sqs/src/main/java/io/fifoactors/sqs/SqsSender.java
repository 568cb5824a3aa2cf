package io.fifoactors.sqs;

import io.fifoactors.core.ConfigurationException;
import io.fifoactors.core.port.OutgoingMessage;
import io.fifoactors.sqswire.EncodedMessage;
import io.fifoactors.sqswire.SqsWire;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Sends messages to a FIFO mailbox queue exactly as {@link SqsMailbox#send} does (the same wire format, batches
 * within SQS's limits in each group's order, the same deduplication ids, retries of refused entries), for a producer
 * or an operator tool that never receives and so needs no dead-letter queue.
 *
 * <pre>{@code
 * SqsSender sender = SqsSender.builder().client(sqs).queueUrl(url).build();
 * sender.send(List.of(SystemMessages.wake(ActorId.fromGroupId("account/a-1"), "op-7", keys)));
 * }</pre>
 *
 * <p>Thread-safe: it keeps no mutable state; the client is the caller's and is never closed.
 */
public final class SqsSender {
    private final String queueUrl;
    private final BatchRunner batches;

    private SqsSender(Builder b) {
        this.queueUrl = b.queueUrl;
        this.batches = new BatchRunner(b.client, b.maxSendRetries, Duration.ofMillis(50), Sleeper.REAL);
    }

    /** A new builder; {@code client} and {@code queueUrl} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The queue this sender sends to. */
    public String queueUrl() {
        return queueUrl;
    }

    /**
     * Sends the messages (in order within each group).
     *
     * @throws io.fifoactors.core.MessageTooLargeException  if a message is over the portable size limit
     * @throws io.fifoactors.core.TransientFailureException if SQS throttles or fails after the retries
     * @throws io.fifoactors.core.PermanentFailureException if SQS refuses a message for good
     */
    public void send(List<OutgoingMessage> messages) {
        Objects.requireNonNull(messages, "messages");
        List<EncodedMessage> encoded = new ArrayList<>(messages.size());
        for (OutgoingMessage m : messages) {
            encoded.add(SqsWire.encode(Objects.requireNonNull(m, "message")));
        }
        batches.send(queueUrl, encoded, true, null, i -> "message " + messages.get(i).messageId());
    }

    @Override
    public String toString() {
        return "SqsSender[" + queueUrl + "]";
    }

    /**
     * Builds an {@link SqsSender}.
     *
     * <pre>{@code
     * SqsSender sender = SqsSender.builder().client(sqs).queueUrl(url).build();
     * }</pre>
     *
     * <p>Not thread-safe; build on one thread.
     */
    public static final class Builder {
        private SqsClient client;
        private String queueUrl;
        private int maxSendRetries = 3;

        private Builder() {
        }

        /** The SQS client (required); never closed. */
        public Builder client(SqsClient client) {
            this.client = client;
            return this;
        }

        /** The FIFO mailbox queue (required). */
        public Builder queueUrl(String queueUrl) {
            this.queueUrl = queueUrl;
            return this;
        }

        /** Retries of entries SQS refuses with a retryable error (default 3). */
        public Builder maxSendRetries(int maxSendRetries) {
            this.maxSendRetries = BatchRunner.checkRetries("maxSendRetries", maxSendRetries);
            return this;
        }

        /**
         * The sender.
         *
         * @throws ConfigurationException if the client or queue URL is missing, or the queue is not FIFO
         */
        public SqsSender build() {
            if (client == null || queueUrl == null || queueUrl.isBlank()) {
                throw new ConfigurationException("SqsSender.builder() needs client(SqsClient) and queueUrl(String)");
            }
            SqsQueueProvisioner.requireFifo("SqsSender", "queue", "queueUrl", queueUrl);
            return new SqsSender(this);
        }
    }
}
